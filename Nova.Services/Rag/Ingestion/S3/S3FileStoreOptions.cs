using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion.S3;

/// <summary>Bound from <c>Nova:Rag:S3</c>: the S3-compatible bucket that keeps originals when <c>Nova:Rag:FileStore</c> is <c>S3</c>.</summary>
public sealed class S3FileStoreOptions
{
    public const string Section = "Nova:Rag:S3";

    /// <summary>The endpoint, e.g. <c>http://minio:9000</c>; for AWS itself <c>https://s3.eu-west-1.amazonaws.com</c>.</summary>
    public Uri? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Empty with <see cref="SecretKey"/> empty: the SDK's default credential chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Buckets in the path (<c>host/bucket/key</c>) rather than the host name: what MinIO, Ceph and Garage expect.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Put before every key, e.g. <c>nova/</c>, when the bucket is shared.</summary>
    public string Prefix { get; set; } = "";
}

/// <summary>Fails start with the name of the setting that is missing or wrong.</summary>
internal sealed partial class S3FileStoreOptionsValidator : IValidateOptions<S3FileStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, S3FileStoreOptions options)
    {
        var errors = new List<string>();
        if (options.ServiceUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            errors.Add($"Setting '{S3FileStoreOptions.Section}:ServiceUrl' must be an absolute http(s) URL (the S3 endpoint, e.g. http://minio:9000) when Nova:Rag:FileStore is S3.");
        }
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            errors.Add($"Setting '{S3FileStoreOptions.Section}:Bucket' is required when Nova:Rag:FileStore is S3.");
        }
        else if (!IsBucketName(options.Bucket))
        {
            errors.Add($"Setting '{S3FileStoreOptions.Section}:Bucket' is not a valid bucket name (3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit).");
        }
        if (string.IsNullOrWhiteSpace(options.Region))
        {
            errors.Add($"Setting '{S3FileStoreOptions.Section}:Region' must not be empty.");
        }
        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            errors.Add($"Settings '{S3FileStoreOptions.Section}:AccessKey' and '{S3FileStoreOptions.Section}:SecretKey' go together: set both, or neither for the SDK's default credentials.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The S3 rules for new buckets: no "..", not an IP address.</summary>
    private static bool IsBucketName(string bucket) =>
        BucketName().IsMatch(bucket) && !bucket.Contains("..", StringComparison.Ordinal) && !IpAddress().IsMatch(bucket);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpAddress();
}
