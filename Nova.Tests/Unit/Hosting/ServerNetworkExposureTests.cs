using Nova.App.Hosting;

namespace Nova.Tests.Unit.Hosting;

public sealed class ServerNetworkExposureTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(true, "http://localhost:5000")]
    [InlineData(true, "http://127.0.0.1:5000", "http://[::1]:5000", "https://LOCALHOST:5001")]
    [InlineData(false, "http://0.0.0.0:8080")]
    [InlineData(false, "http://[::]:8080")]
    [InlineData(false, "http://*:8080")]
    [InlineData(false, "http://+:80")]
    [InlineData(false, "http://nova.example.com:80")]
    [InlineData(false, "http://192.168.1.10:5000")]
    [InlineData(false, "http://localhost:5000", "http://0.0.0.0:8080")]
    public void OnlyLoopbackAddressesKeepNovaUnreachableFromTheNetwork(bool loopbackOnly, params string[] addresses) =>
        Assert.Equal(loopbackOnly, ServerNetworkExposure.IsLoopbackOnly(addresses));
}
