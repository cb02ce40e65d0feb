using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion.S3;

internal static class S3FileStoreRegistration
{
    /// <summary>
    /// The S3 store, its client, the settings (checked at start) and the bucket check: a readiness check and one line
    /// in the log at start, so a missing bucket is said once rather than as an SDK error on every upload.
    /// </summary>
    public static void AddS3FileStore(this IServiceCollection services)
    {
        services.AddOptions<S3FileStoreOptions>().BindConfiguration(S3FileStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3FileStoreOptions>, S3FileStoreOptionsValidator>();
        services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3FileStoreOptions>>().Value));
        services.AddSingleton<IDocumentFileStore, S3DocumentFileStore>();
        services.AddSingleton<S3BucketCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<S3BucketCheck>());
        services.AddHealthChecks().AddCheck<S3BucketCheck>("file-store", tags: ["ready"]);
    }

    public static AmazonS3Client CreateClient(S3FileStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl!.AbsoluteUri,
            AuthenticationRegion = options.Region,
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where S3 demands them: MinIO, Ceph and Garage do not all know the newer checksum headers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
        };
        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
