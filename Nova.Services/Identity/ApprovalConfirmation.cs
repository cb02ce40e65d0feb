using Microsoft.AspNetCore.Identity;
using Nova.Services.Data;

namespace Nova.Services.Identity;

/// <summary>
/// "Confirmed account" in Nova means approved by an admin (there is no mail server to confirm
/// addresses with). Identity's sign-in then refuses pending users with NotAllowed.
/// </summary>
internal sealed class ApprovalConfirmation : IUserConfirmation<NovaUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<NovaUser> manager, NovaUser user) =>
        Task.FromResult(user.Approval == UserApproval.Approved);
}
