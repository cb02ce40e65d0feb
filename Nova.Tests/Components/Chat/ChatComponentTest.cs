using Nova.Tests.Unit.Chat;

namespace Nova.Tests.Components.Chat;

/// <summary>A bUnit test of the chat's components on a <see cref="ChatHost"/>: real chat services, a fake model.</summary>
public abstract class ChatComponentTest : NovaComponentTest
{
    private protected ChatHost Chat { get; private set; } = default!;

    /// <summary>Settings the chat host starts with.</summary>
    protected virtual (string Key, string Value)[] ChatSettings => [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Chat = await ChatHost.StartAsync(settings: ChatSettings);
        Context.Services.AddChatComponents(Chat);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Chat.DisposeAsync();
    }
}
