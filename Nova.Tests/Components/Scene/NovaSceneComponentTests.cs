using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Nova.App.Client.Scene;

namespace Nova.Tests.Components.Scene;

public sealed class NovaSceneComponentTests : NovaComponentTest
{
    private const string ModulePath = "./Scene/NovaScene.razor.js";

    [Fact]
    public void TheContainerStartsIdleAndIsHiddenFromAssistiveTechnology()
    {
        var scene = Context.Render<NovaScene>();

        var container = scene.Find("[data-testid=nova-scene]");
        Assert.Equal("idle", container.GetAttribute("data-state"));
        Assert.Equal("true", container.GetAttribute("aria-hidden"));
    }

    [Fact]
    public void TheModuleIsImportedOnceAndMountedOnTheContainer()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Strict;
        var module = Context.JSInterop.SetupModule(ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "mount");

        var scene = Context.Render<NovaScene>();
        scene.Render();

        Assert.Single(Context.JSInterop.Invocations, invocation => invocation.Identifier == "import");
        var mount = module.VerifyInvoke("mount");
        Assert.IsType<ElementReference>(Assert.Single(mount.Arguments));
    }

    [Fact]
    public async Task DisposingTheComponentDisposesTheScene()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Strict;
        var module = Context.JSInterop.SetupModule(ModulePath);
        var handle = module.SetupModule(invocation => invocation.Identifier == "mount");
        handle.SetupVoid("dispose").SetVoidResult();
        var scene = Context.Render<NovaScene>();
        module.VerifyInvoke("mount");

        await scene.Instance.DisposeAsync();

        handle.VerifyInvoke("dispose");
    }

    [Fact]
    public async Task AFailingScriptLeavesThePageWorking()
    {
        Context.Services.AddSingleton<IJSRuntime>(new FailingJsRuntime());

        var scene = Context.Render<NovaScene>();
        await scene.Instance.DisposeAsync();

        Assert.Equal("idle", scene.Find("[data-testid=nova-scene]").GetAttribute("data-state"));
    }

    [Fact]
    public async Task AGoneBrowserDuringDisposeIsNotAnError()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Strict;
        var module = Context.JSInterop.SetupModule(ModulePath);
        var handle = module.SetupModule(invocation => invocation.Identifier == "mount");
        handle.SetupVoid("dispose").SetException(new JSDisconnectedException("circuit gone"));
        var scene = Context.Render<NovaScene>();

        await scene.Instance.DisposeAsync();

        handle.VerifyInvoke("dispose");
    }

    private sealed class FailingJsRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            ValueTask.FromException<TValue>(new JSException("three.js could not be loaded"));

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }
}
