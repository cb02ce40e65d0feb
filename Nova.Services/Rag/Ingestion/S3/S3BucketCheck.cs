using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion.S3;

/// <summary>
/// Whether the configured bucket is there and may be used: Nova's readiness, and a warning in the log at start.
/// Nova never creates the bucket: who owns it (lifecycle, versioning, encryption) is the operator's choice.
/// </summary>
public sealed class S3BucketCheck(IAmazonS3 client, IOptions<S3FileStoreOptions> options, ILogger<S3BucketCheck> logger)
    : BackgroundService, IHealthCheck
{
    private readonly string _bucket = options.Value.Bucket!;

    /// <summary>Null when the bucket answers; else why not, in words for an admin.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken);
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return $"The S3 bucket '{_bucket}' does not exist; create it (Nova does not).";
        }
        catch (Exception e) when (S3DocumentFileStore.Describe(e) is { } problem)
        {
            return $"The S3 file store cannot be used for bucket '{_bucket}': {problem}.";
        }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await ProblemAsync(cancellationToken) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await ProblemAsync(stoppingToken) is { } problem)
        {
            logger.LogError("{Problem} Uploads and indexing will fail until it is fixed.", problem);
        }
    }
}
