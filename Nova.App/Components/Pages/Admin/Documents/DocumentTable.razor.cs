using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>
/// The documents, a page at a time, searched and filtered in the database. Ingestion progress arrives
/// through <see cref="IngestionEvents"/>, coalesced to one render per <see cref="RenderInterval"/>; only the
/// rows whose document changed re-render.
/// </summary>
public sealed partial class DocumentTable
{
    public const int PageSize = 25;

    /// <summary>How often live progress may re-render the table.</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);

    private DocumentPage? _page;
    private IReadOnlyDictionary<Guid, CollectionInfo> _collections = new Dictionary<Guid, CollectionInfo>();
    private IReadOnlyList<CollectionInfo>? _collectionsSource;
    private readonly HashSet<Guid> _busy = [];

    // Documents whose progress arrives but that a reload showed are not on this page (another page, filtered out).
    private readonly HashSet<Guid> _offPage = [];
    private IngestionProgressFeed? _feed;
    private CancellationTokenSource? _loadCancellation;
    private string? _search;
    private DocumentFilter _filter;
    private int _pageIndex;
    private bool _loading;
    private string? _error;

    [Parameter, EditorRequired]
    public required ClaimsPrincipal Actor { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<CollectionInfo> Collections { get; set; }

    /// <summary>Document counts per collection changed, or a document names a collection the page does not know yet.</summary>
    [Parameter]
    public EventCallback OnCollectionsChanged { get; set; }

    private bool Filtered => !string.IsNullOrWhiteSpace(_search) || _filter != DocumentFilter.All;

    protected override async Task OnInitializedAsync()
    {
        _feed = new IngestionProgressFeed(Events, Time, RenderInterval, InvokeAsync, ApplyAsync);
        await LoadAsync();
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(Collections, _collectionsSource))
        {
            _collectionsSource = Collections;
            _collections = Collections.ToDictionary(c => c.Id);
        }
    }

    /// <summary>Loads the current page again, e.g. after documents were added or collections changed.</summary>
    public async Task LoadAsync()
    {
        _loadCancellation?.Cancel();
        using var cancellation = _loadCancellation = new CancellationTokenSource();
        _loading = true;
        try
        {
            var query = new DocumentQuery(_pageIndex * PageSize, PageSize, Search: _search, Statuses: _filter.Statuses());
            var page = await Documents.ListAsync(Actor, query, cancellation.Token);
            if (page.Items.Count == 0 && page.Total > 0 && _pageIndex > 0)
            {
                // The last page emptied (deletions): show the one before it.
                _pageIndex = (page.Total - 1) / PageSize;
                page = await Documents.ListAsync(Actor, query with { Skip = _pageIndex * PageSize }, cancellation.Token);
            }
            _page = page;
            _error = null;
            _offPage.RemoveWhere(id => page.Items.Any(d => d.Id == id));
            if (page.Items.SelectMany(d => d.CollectionIds).Any(id => !_collections.ContainsKey(id)))
            {
                await OnCollectionsChanged.InvokeAsync();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // A newer search replaced this one.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(e, "Listing documents failed");
            _error = e.Message;
        }
        finally
        {
            if (ReferenceEquals(_loadCancellation, cancellation))
            {
                _loadCancellation = null;
                _loading = false;
            }
        }
    }

    private async Task ApplyAsync(IReadOnlyCollection<DocumentProgress> updates)
    {
        if (_page is null)
        {
            return;
        }
        var update = PageUpdate.Of(_page.Items, updates, _offPage);
        if (update.Reload)
        {
            await LoadAsync();
            _offPage.UnionWith(update.Unknown.Where(id => _page?.Items.All(d => d.Id != id) == true));
            StateHasChanged();
            return;
        }
        var items = update.Items.ToList();
        try
        {
            // Page and chunk counts are only known once a document is done.
            foreach (var id in update.Finished)
            {
                if (await Documents.GetAsync(Actor, id) is { } fresh && items.FindIndex(d => d.Id == id) is var index and >= 0)
                {
                    items[index] = fresh;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(e, "Refreshing finished documents failed; the next reload shows their counts");
        }
        _page = _page with { Items = items };
        StateHasChanged();
    }

    private async Task OnSearchAsync(string? search)
    {
        _search = search;
        _pageIndex = 0;
        _offPage.Clear();
        await LoadAsync();
    }

    private async Task OnFilterAsync(DocumentFilter filter)
    {
        _filter = filter;
        _pageIndex = 0;
        _offPage.Clear();
        await LoadAsync();
    }

    private async Task OnPageAsync(int page)
    {
        _pageIndex = page - 1;
        _offPage.Clear();
        await LoadAsync();
    }

    private Task RetryAsync(DocumentInfo document) => RunAsync(document, async () =>
    {
        if (!await Documents.RetryAsync(Actor, document.Id))
        {
            Snackbar.Add($"“{document.DisplayName}” no longer exists.", Severity.Warning);
            await LoadAsync();
            return;
        }
        // Shown at once: a quick second failure could otherwise arrive in the same update and the click would seem to do nothing.
        if (_page is not null)
        {
            _page = _page with
            {
                Items = _page.Items.Select(d => d.Id == document.Id
                    ? d with { Status = DocumentStatus.Uploaded, Progress = 0, FailureReason = null }
                    : d).ToList(),
            };
        }
    });

    private async Task DeleteAsync(DocumentInfo document)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete document",
            $"Delete “{document.DisplayName}”? Its passages leave every index at once and answers can no longer cite it. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        await RunAsync(document, async () =>
        {
            await Documents.DeleteAsync(Actor, document.Id);
            Snackbar.Add($"Deleted “{document.DisplayName}”.", Severity.Success);
            await LoadAsync();
            await OnCollectionsChanged.InvokeAsync();
        });
    }

    private async Task EditCollectionsAsync(DocumentInfo document)
    {
        var parameters = new DialogParameters<DocumentCollectionsDialog>
        {
            { d => d.Collections, Collections },
            { d => d.Selected, document.CollectionIds },
        };
        var dialog = await Dialogs.ShowAsync<DocumentCollectionsDialog>($"Collections of “{document.DisplayName}”", parameters,
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: IReadOnlyCollection<Guid> chosen })
        {
            return;
        }
        await RunAsync(document, async () =>
        {
            await Documents.SetCollectionsAsync(Actor, document.Id, chosen);
            await LoadAsync();
            await OnCollectionsChanged.InvokeAsync();
        });
    }

    /// <summary>Runs an action on one document with its buttons held, reporting a refusal instead of failing the page.</summary>
    private async Task RunAsync(DocumentInfo document, Func<Task> action)
    {
        _busy.Add(document.Id);
        try
        {
            await action();
        }
        catch (Exception e) when (e is DocumentRejectedException or UnauthorizedAccessException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(e, "An action on document {DocumentId} failed", document.Id);
            Snackbar.Add($"That did not work: {e.Message}", Severity.Error);
        }
        finally
        {
            _busy.Remove(document.Id);
        }
    }

    public void Dispose()
    {
        _feed?.Dispose();
        _loadCancellation?.Cancel();
    }
}
