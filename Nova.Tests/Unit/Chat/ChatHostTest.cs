namespace Nova.Tests.Unit.Chat;

/// <summary>A fresh <see cref="ChatHost"/> per test with one signed-up user, Alice.</summary>
public abstract class ChatHostTest : IAsyncLifetime
{
    private protected ChatHost Chat { get; private set; } = null!;

    private protected string Alice { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chat = await ChatHost.StartAsync();
        Alice = await Chat.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await Chat.DisposeAsync();
}
