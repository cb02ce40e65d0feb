namespace Nova.Services.Hosting;

/// <summary>
/// Where state shared between replicas lives. <c>Nova:Redis</c> is a StackExchange.Redis
/// connection string; empty means one process with its keys on local disk. Every key and channel Nova uses in
/// Redis starts with <c>Nova:RedisPrefix</c> (default <c>nova:</c>), so several deployments can share one Redis.
/// </summary>
public sealed class SharedStateOptions
{
    public const string RedisKey = "Nova:Redis";
    public const string KeysPathKey = "Nova:DataProtection:KeysPath";
    public const string ApplicationName = "Nova";
    public const string RedisPrefixKey = "Nova:RedisPrefix";
    public const string DefaultRedisPrefix = "nova:";
    public const string RedisKeyRingName = "data-protection-keys";
}
