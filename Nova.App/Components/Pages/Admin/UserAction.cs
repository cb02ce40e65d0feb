using Nova.Services.Identity;

namespace Nova.App.Components.Pages.Admin;

public enum UserActionKind
{
    Approve,
    Promote,
    Demote,
    Lock,
    Unlock,
    Delete,
}

public sealed record UserAction(UserActionKind Kind, UserSummary User);
