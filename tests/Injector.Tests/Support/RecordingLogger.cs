using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Injector.Tests.Support;

/// <summary>Keeps every entry (event id, message, exception) for assertions.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(int Id, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(int Id, string Message, Exception? Exception)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId.Id, formatter(state, exception), exception));
}
