using Bunit;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;

namespace Nova.Tests.Components.Chat;

public sealed class ChatInputTests : NovaComponentTest
{
    private readonly List<string> _sent = [];
    private readonly List<string> _keys = [];
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
    public void ARetriedSendKeepsItsKeyAndTheNextMessageGetsANewOne()
    {
        var accept = false;
        var input = Context.Render<ChatInput>(p => p
            .Add(c => c.IsGenerating, false)
            .Add(c => c.MaxLength, 100)
            .Add(c => c.OnSend, draft =>
            {
                _keys.Add(draft.IdempotencyKey);
                return Task.FromResult(accept);
            })
            .Add(c => c.OnStop, EventCallback.Empty));

        input.Find("[data-testid=chat-input]").Input("same question");
        input.Find("form").Submit();
        accept = true;
        input.Find("form").Submit();
        input.Find("[data-testid=chat-input]").Input("next question");
        input.Find("form").Submit();

        Assert.Equal(_keys[0], _keys[1]);
        Assert.NotEqual(_keys[1], _keys[2]);
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

    [Fact]
    public void TheBoxAndItsHintFollowTheEnterToSendPreference()
    {
        var input = Render(accept: true);
        Assert.Equal("true", input.Find("[data-testid=chat-input]").GetAttribute("data-enter-sends"));
        Assert.Equal("Enter to send · Shift+Enter for a new line", input.Find("[data-testid=input-hint]").TextContent.Trim());

        input.Render(p => p.Add(c => c.EnterToSend, false));

        Assert.Equal("false", input.Find("[data-testid=chat-input]").GetAttribute("data-enter-sends"));
        Assert.Equal("Ctrl+Enter to send · Enter for a new line", input.Find("[data-testid=input-hint]").TextContent.Trim());
        Assert.Equal("Send (Ctrl+Enter)", input.Find("[data-testid=send]").GetAttribute("title"));
    }

    private IRenderedComponent<ChatInput> Render(bool accept, int maxLength = 1000, bool generating = false) =>
        Context.Render<ChatInput>(p => p
            .Add(c => c.IsGenerating, generating)
            .Add(c => c.MaxLength, maxLength)
            .Add(c => c.OnSend, draft =>
            {
                _sent.Add(draft.Text);
                _keys.Add(draft.IdempotencyKey);
                return Task.FromResult(accept);
            })
            .Add(c => c.OnStop, EventCallback.Factory.Create(this, () => _stops++)));
}
