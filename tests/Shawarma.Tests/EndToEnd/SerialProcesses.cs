namespace Shawarma.Tests.EndToEnd;

/// <summary>Process tests run one at a time: the machine has few cores and timing-sensitive children.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialProcesses
{
    public const string Name = "shawarma process";
}
