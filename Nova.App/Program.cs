using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Nova.App.Components;
using Nova.App.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Llm;

var builder = WebApplication.CreateBuilder(args);

builder.AddNovaData();
builder.AddNovaIdentity();
builder.AddNovaAuth();
builder.AddNovaLlm();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents()
    .AddAuthenticationStateSerialization();
builder.Services.AddMudServices();

var app = builder.Build();

if (app.Environment.IsDevelopment())
{
    app.UseWebAssemblyDebugging();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(Nova.App.Client._Imports).Assembly);
app.MapAdditionalIdentityEndpoints();

await app.PrepareNovaAsync();
await app.RunAsync();

public partial class Program;
