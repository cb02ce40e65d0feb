using Bunit;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;

namespace Nova.Tests.Components.Chat;

public sealed class ChatInputTests : NovaComponentTest
{
    private readonly List<string> _sent = [];
    private int _stops;

    [Fact]
    public void SendingHandsOverTheTrimmedTextAndClearsTheBox()
    {
        var input = Render(accept: true);

        input.Find("[data-testid=chat-input]").Input("  hello Nova \n");
        input.Find("form").Submit();

        Assert.Equal(["hello Nova"], _sent);
        Assert.Equal("", input.Find("[data-testid=chat-input]").GetAttribute("value") ?? "");
    }

    [Fact]
    public void ARefusedSendKeepsTheDraft()
    {
        var input = Render(accept: false);

        input.Find("[data-testid=chat-input]").Input("keep me");
        input.Find("form").Submit();

        Assert.Equal(["keep me"], _sent);
        Assert.Equal("keep me", input.Find("[data-testid=chat-input]").GetAttribute("value"));
    }

    [Fact]
    public void TextOverTheLimitIsNotSentAndTheDraftStaysWithAMessage()
    {
        var input = Render(accept: true, maxLength: 10);

        input.Find("[data-testid=chat-input]").Input(new string('x', 11));
        input.Find("form").Submit();

        Assert.Empty(_sent);
        Assert.Contains("limit is 10", input.Find("[data-testid=input-too-long]").TextContent);
        Assert.True(input.Find("[data-testid=send]").HasAttribute("disabled"));
    }

    [Fact]
    public void WhileGeneratingTheSendButtonBecomesStop()
    {
        var input = Render(accept: true, generating: true);

        Assert.Empty(input.FindAll("[data-testid=send]"));
        input.Find("[data-testid=stop]").Click();

        Assert.Equal(1, _stops);
    }

    [Fact]
    public void BlankTextCannotBeSent()
    {
        var input = Render(accept: true);

        input.Find("[data-testid=chat-input]").Input("   ");
        input.Find("form").Submit();

        Assert.Empty(_sent);
    }

    private IRenderedComponent<ChatInput> Render(bool accept, int maxLength = 1000, bool generating = false) =>
        Context.Render<ChatInput>(p => p
            .Add(c => c.IsGenerating, generating)
            .Add(c => c.MaxLength, maxLength)
            .Add(c => c.OnSend, text =>
            {
                _sent.Add(text);
                return Task.FromResult(accept);
            })
            .Add(c => c.OnStop, EventCallback.Factory.Create(this, () => _stops++)));
}
