namespace Nova.App.Components.Pages.Admin.Documents;

public enum UploadState
{
    Waiting,
    Uploading,
    Done,
    Rejected,
}

/// <summary>One file of a drop, from waiting in line to handed over for indexing (or refused, with why).</summary>
public sealed class UploadItem(string name, long sizeBytes)
{
    public string Name { get; } = name;

    public long SizeBytes { get; } = sizeBytes;

    public UploadState State { get; private set; } = UploadState.Waiting;

    public long SentBytes { get; set; }

    /// <summary>Why the file was refused; null unless <see cref="UploadState.Rejected"/>.</summary>
    public string? Error { get; private set; }

    public double Fraction => SizeBytes > 0 ? Math.Clamp((double)SentBytes / SizeBytes, 0, 1) : 0;

    public void Start() => State = UploadState.Uploading;

    public void Finish()
    {
        SentBytes = SizeBytes;
        State = UploadState.Done;
    }

    public void Reject(string error)
    {
        Error = error;
        State = UploadState.Rejected;
    }
}
