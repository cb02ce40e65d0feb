using Nova.App.Api;
using Nova.App.Hosting;
using Nova.Services.Chat;
using Nova.Services.Data;
using Nova.Services.Hosting;
using Nova.Services.Identity;
using Nova.Services.Llm;
using Nova.Services.Markdown;
using Nova.Services.Rag;

var builder = WebApplication.CreateBuilder(args);

builder.AddNovaTelemetry();
builder.AddNovaSharedState();
builder.AddNovaData();
builder.AddNovaRag();
builder.AddNovaIdentity();
builder.AddNovaAuth();
builder.AddNovaLlm();
builder.AddNovaMarkdown();
builder.AddNovaChat();
builder.AddNovaUi();
builder.AddNovaSecurityHeaders();
builder.AddNovaApi();

var app = builder.Build();

app.UseForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseNovaApi();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapNovaHealth();
app.MapNovaMetrics();
app.MapNovaUi();
app.MapNovaApi();

await app.PrepareNovaAsync();
await app.RunAsync();

public partial class Program;
