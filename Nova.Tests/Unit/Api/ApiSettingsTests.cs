using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Nova.App.Api.Auth;
using Nova.App.Api.Limits;

namespace Nova.Tests.Unit.Api;

public sealed class ApiSettingsTests
{
    [Fact]
    public void OutsideDevelopmentAMissingSigningKeyFailsNamingTheSetting()
    {
        var result = Validate(Environments.Production, new JwtOptions());

        Assert.True(result.Failed);
        Assert.Contains("'Nova:Jwt:SigningKey' is required", result.FailureMessage);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public void AShortSigningKeyFailsEverywhere(string environment)
    {
        var result = Validate(environment, new JwtOptions { SigningKey = new string('k', 31) });

        Assert.True(result.Failed);
        Assert.Contains("'Nova:Jwt:SigningKey' is too short", result.FailureMessage);
    }

    [Fact]
    public void DevelopmentMayRunWithoutAKeyAndProductionWithALongOne()
    {
        Assert.True(Validate(Environments.Development, new JwtOptions()).Succeeded);
        Assert.True(Validate(Environments.Production, new JwtOptions { SigningKey = new string('k', 32) }).Succeeded);
    }

    [Fact]
    public void ASillyLifetimeFailsNamingTheSetting()
    {
        var result = Validate(Environments.Development, new JwtOptions { Lifetime = TimeSpan.Zero });

        Assert.Contains("'Nova:Jwt:Lifetime'", result.FailureMessage);
    }

    [Fact]
    public void AProxyThatIsNotAnAddressFailsNamingTheSetting()
    {
        var result = new ForwardedHeadersSettingsValidator().Validate(null, new ForwardedHeadersSettings
        {
            KnownProxies = ["10.0.0.1", "proxy.local"],
            KnownNetworks = ["172.18.0.0/16", "172.18.0.0"],
        });

        Assert.Contains("'Nova:ForwardedHeaders:KnownProxies' has 'proxy.local'", result.FailureMessage);
        Assert.Contains("'Nova:ForwardedHeaders:KnownNetworks' has '172.18.0.0'", result.FailureMessage);
        Assert.DoesNotContain("10.0.0.1", result.FailureMessage);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, JwtOptions options) =>
        new JwtOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);
}
