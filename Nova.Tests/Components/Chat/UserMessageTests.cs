using Bunit;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Components.Chat;

/// <summary>Editing a sent question: the field has the composer's limits, and a refused edit keeps its text.</summary>
public sealed class UserMessageTests : ChatComponentTest
{
    private const int Limit = 100;
    private readonly List<MessageEdit> _edits = [];
    protected override (string Key, string Value)[] ChatSettings => [("Nova:Chat:MaxInputChars", Limit.ToString())];

    [Fact]
    public void TheEditFieldKeepsTextPastTheComposersHardLimitInTheBrowserAndRefusesTextOverTheLimit()
    {
        var composer = Context.Render<ChatInput>(p => p
            .Add(c => c.IsGenerating, false)
            .Add(c => c.MaxLength, Limit)
            .Add(c => c.OnSend, _ => Task.FromResult(true))
            .Add(c => c.OnStop, EventCallback.Empty));
        var message = StartEditing(accept: true);

        var field = message.Find("textarea[data-testid=edit-input]");
        Assert.Equal(composer.Find("[data-testid=chat-input]").GetAttribute("data-hard-limit"), field.GetAttribute("data-hard-limit"));
        field.Input(new string('x', Limit + 1));
        message.Find("[data-testid=edit-send]").Click();

        Assert.Contains($"the limit is {Limit}", message.Find("[data-testid=edit-too-long]").TextContent);
        Assert.True(message.Find("button[data-testid=edit-send]").HasAttribute("disabled"));
        Assert.Empty(_edits);
        Assert.Equal(new string('x', Limit + 1), message.Find("textarea[data-testid=edit-input]").GetAttribute("value"));
    }

    [Fact]
    public void ARefusedEditStaysOpenWithItsText()
    {
        var message = StartEditing(accept: false);

        message.Find("textarea[data-testid=edit-input]").Input("Reworded?");
        message.Find("button[data-testid=edit-send]").Click();

        Assert.Equal("Reworded?", Assert.Single(_edits).Text);
        Assert.Equal("Reworded?", message.Find("textarea[data-testid=edit-input]").GetAttribute("value"));
    }

    private IRenderedComponent<UserMessage> StartEditing(bool accept)
    {
        var question = new MessageView(Guid.NewGuid(), null, MessageRole.User, "Original?", MessageStatus.Completed, null,
            DateTimeOffset.UnixEpoch, null, MessageUsage.None, [], 0, []);
        var message = Context.Render<UserMessage>(p => p
            .Add(m => m.Message, question)
            .Add(m => m.UserId, "alice")
            .Add(m => m.OnEdit, edit =>
            {
                _edits.Add(edit);
                return Task.FromResult(accept);
            })
            .Add(m => m.OnChanged, EventCallback.Empty));
        message.Find("button[data-testid=edit]").Click();
        return message;
    }
}
