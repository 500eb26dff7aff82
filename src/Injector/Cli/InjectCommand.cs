using System.Text;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;
using Injector.Core.Yaml;

namespace Injector.Cli;

/// <summary>
/// <c>injector inject -f FILE|-</c>: offline injection. Reads UTF-8 YAML or JSON as kubectl does (a relative path is
/// relative to the working directory), prints every document that was read and not denied as YAML on stdout, and one
/// line per warning or refused document on stderr. Exit code 0 when every document came out, 1 when an input, the
/// config or a document was refused; never a stack trace.
/// </summary>
internal static class InjectCommand
{
    /// <summary>The input is read up to this size and refused beyond it (kubectl sends 3 MiB per object at most).</summary>
    private static readonly int MaxInputBytes = YamlLimits.Manifests.MaxStreamChars;

    private static readonly int MaxConfigBytes = YamlLimits.Config.MaxStreamChars;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int Run(InjectOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            string yaml;
            InjectorConfig config;
            try
            {
                yaml = options.File == "-" ? ReadStandardInput(stdin) : ReadFile(options.File, MaxInputBytes);
                config = options.ConfigFile is null ? InjectorConfig.Default : InjectorConfig.Parse(ReadFile(options.ConfigFile, MaxConfigBytes));
            }
            catch (InputException ex)
            {
                stderr.WriteLine($"error: {ex.Message}");
                return 1;
            }
            catch (InjectorConfigException ex)
            {
                stderr.WriteLine($"error: {options.ConfigFile}: {ex.Message}");
                return 1;
            }

            var result = new ManifestInjector(new InjectionEngine()).Inject(yaml, config);
            Write(stdout, result.Yaml);
            foreach (var message in result.Messages)
            {
                stderr.WriteLine(message);
            }

            return result.AnyDenied ? 1 : 0;
        }
        catch (Exception ex)
        {
            // The last line of defence: whatever slipped through is one line on stderr, not a stack trace.
            stderr.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static string ReadFile(string path, int maxBytes)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new InputException($"{path} is a directory ({fullPath}); give a file, or - for standard input");
        }

        try
        {
            using var stream = File.OpenRead(fullPath);
            return Decode(ReadBounded(stream, maxBytes, path), path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"cannot read {path}: no such file ({fullPath})");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {path}: permission denied ({fullPath})");
        }
        catch (IOException ex)
        {
            throw new InputException($"cannot read {path} ({fullPath}): {ex.Message}");
        }
    }

    /// <summary>
    /// Standard input as bytes, so it is decoded as strictly as a file; a reader other than the console's (tests)
    /// is read as text.
    /// </summary>
    private static string ReadStandardInput(TextReader stdin)
    {
        if (ReferenceEquals(stdin, Console.In))
        {
            using var stream = Console.OpenStandardInput();
            return Decode(ReadBounded(stream, MaxInputBytes, "standard input"), "standard input");
        }

        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = stdin.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxInputBytes)
            {
                throw TooLarge("standard input", MaxInputBytes);
            }
        }

        return text.ToString();
    }

    private static byte[] ReadBounded(Stream stream, int maxBytes, string what)
    {
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            bytes.Write(buffer, 0, read);
            if (bytes.Length > maxBytes)
            {
                throw TooLarge(what, maxBytes);
            }
        }

        return bytes.ToArray();
    }

    /// <summary>UTF-8 (a BOM is skipped) or UTF-16 with a BOM, as go-yaml reads; invalid bytes are refused, not replaced.</summary>
    private static string Decode(byte[] bytes, string what)
    {
        try
        {
            return bytes switch
            {
                [0xEF, 0xBB, 0xBF, ..] => StrictUtf8.GetString(bytes, 3, bytes.Length - 3),
                [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes, 2, bytes.Length - 2),
                [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes, 2, bytes.Length - 2),
                _ => StrictUtf8.GetString(bytes),
            };
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputException($"{what} is not valid UTF-8 (invalid bytes at offset {ex.Index}); kubectl reads UTF-8 or UTF-16 with a byte order mark");
        }
    }

    /// <summary>YAML is UTF-8 whatever the console's encoding, as kubectl prints it.</summary>
    private static void Write(TextWriter stdout, string text)
    {
        if (ReferenceEquals(stdout, Console.Out))
        {
            stdout.Flush();
            using var stream = Console.OpenStandardOutput();
            stream.Write(StrictUtf8.GetBytes(text));
            stream.Flush();
            return;
        }

        stdout.Write(text);
        stdout.Flush();
    }

    private static InputException TooLarge(string what, int maxBytes) =>
        new($"{what} is larger than {maxBytes / (1024 * 1024)} MiB; split it into smaller files");

    /// <summary>An input or config file that cannot be read; the message names it.</summary>
    private sealed class InputException(string message) : Exception(message);
}
