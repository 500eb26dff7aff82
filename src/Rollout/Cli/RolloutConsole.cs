namespace Rollout.Cli;

/// <summary>What a run talks to: its output streams, whether stderr is a terminal, the environment and the clock.</summary>
public sealed record RolloutConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, bool OutIsTerminal, Func<string, string?> Environment, TimeProvider Time)
{
    public static RolloutConsole System { get; } = new(
        Console.Out, Console.Error, !Console.IsErrorRedirected, !Console.IsOutputRedirected, global::System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
