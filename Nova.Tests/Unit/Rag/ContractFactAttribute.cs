using Xunit.Abstractions;
using Xunit.Sdk;

namespace Nova.Tests.Unit.Rag;

/// <summary>Marks a test class that needs a real server; its tests report as skipped when the variable is unset.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentAttribute(string variable) : Attribute
{
    public string Variable { get; } = variable;
}

/// <summary>A fact in a contract base class: skipped, with the reason, in derived classes whose server is not configured.</summary>
[XunitTestCaseDiscoverer("Nova.Tests.Unit.Rag.ContractFactDiscoverer", "Nova.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

public sealed class ContractFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        var requirement = method.TestClass.Class.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)).FirstOrDefault();
        var variable = requirement?.GetConstructorArguments().FirstOrDefault() as string;
        var skip = variable is not null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable))
            ? $"Set {variable} to run this contract against a real server."
            : null;
        yield return new ContractTestCase(diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, skip);
    }
}

public sealed class ContractTestCase : XunitTestCase
{
    private string? _skip;

    [Obsolete("Called by the de-serializer", error: true)]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, string? skip)
        : base(diagnostics, display, displayOptions, method) => _skip = skip;

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skip ?? base.GetSkipReason(factAttribute);

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("ContractSkip", _skip);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _skip = data.GetValue<string?>("ContractSkip");
        base.Deserialize(data);
    }
}
