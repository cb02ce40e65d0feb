using Microsoft.AspNetCore.Components;
using Nova.Services.Chat;

namespace Nova.App.Components.Chat;

/// <summary>
/// A chat's actions asked for from the drawer: the menu opens at <see cref="Button"/>, and takes the focus when the
/// button was pressed by keyboard.
/// </summary>
public sealed record ConversationMenuRequest(ConversationSummary Conversation, ElementReference Button, bool ByKeyboard);
