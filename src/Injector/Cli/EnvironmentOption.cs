using System.CommandLine;

namespace Injector.Cli;

/// <summary>
/// Builds a <see cref="Option{T}"/> whose value comes from the flag, else from an environment variable, else from a
/// default (flag &gt; env &gt; default; with several variables the first one set wins), with one parser for both sources so an environment value is checked as
/// strictly as a flag. No reflection: every option is typed and parsed by hand, so the CLI stays Native-AOT safe.
/// </summary>
internal static class EnvironmentOption
{
    /// <param name="defaultText">Shown as the default when the default value is null (computed at run time, or off).</param>
    /// <param name="parse">Turns the text into a value, or throws <see cref="FormatException"/> saying what is valid.</param>
    public static Option<T> Create<T>(string name, string[] environmentVariables, Func<T> fallback, Func<string, T> parse,
        string description, string helpName, Func<string, string?> env, string? defaultText = null)
    {
        var option = new Option<T>(name)
        {
            // System.CommandLine prints "[default: x]" itself for a non-null default; defaultText describes the others.
            Description = $"{description} [env: {string.Join(", ", environmentVariables)}]" + (defaultText is null ? "" : $" [default: {defaultText}]"),
            HelpName = helpName,
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            return Parse(text, name, parse, result.AddError);
        };
        option.DefaultValueFactory = result =>
        {
            foreach (var variable in environmentVariables)
            {
                if (env(variable) is { Length: > 0 } value)
                {
                    return Parse(value, variable, parse, result.AddError);
                }
            }

            return fallback();
        };
        return option;
    }

    private static T Parse<T>(string text, string source, Func<string, T> parse, Action<string> error)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException ex)
        {
            error($"{source}: {ex.Message}");
            return default!;
        }
    }
}
