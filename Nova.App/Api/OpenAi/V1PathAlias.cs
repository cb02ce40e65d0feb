namespace Nova.App.Api.OpenAi;

/// <summary>
/// Accepts <c>/v1/…</c> as <c>/api/v1/…</c>, so an OpenAI client configured with a base URL ending in <c>/v1</c>
/// (the form most tools ask for) works unchanged. The path is rewritten before routing, as a startup filter (the
/// app's own middleware runs after routing has matched), so the alias gets exactly the API's authentication,
/// limits and errors.
/// </summary>
internal sealed class V1PathAlias : IStartupFilter
{
    private static readonly PathString Alias = "/v1";
    private static readonly PathString Api = "/api/v1";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(Alias, out var rest))
            {
                context.Request.Path = Api.Add(rest);
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}
