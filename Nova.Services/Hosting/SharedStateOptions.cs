namespace Nova.Services.Hosting;

/// <summary>
/// Where state shared between replicas lives. <c>Nova:Redis</c> is a StackExchange.Redis
/// connection string; empty means one process with its keys on local disk.
/// </summary>
public sealed class SharedStateOptions
{
    public const string RedisKey = "Nova:Redis";
    public const string KeysPathKey = "Nova:DataProtection:KeysPath";
    public const string ApplicationName = "Nova";
    public const string RedisKeyRingName = "nova:data-protection-keys";
}
