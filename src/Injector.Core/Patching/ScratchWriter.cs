using System.Buffers;
using System.Text.Json;

namespace Injector.Core.Patching;

/// <summary>
/// A JSON writer over a growable buffer, kept per thread and reused, so a review does not allocate a new buffer and
/// writer for every fingerprint, patch and response. <see cref="Rent"/> hands out the thread's one (or a new one
/// when it is in use, or was never given back after an early return); <see cref="Dispose"/> gives it back.
/// </summary>
internal sealed class ScratchWriter : IDisposable
{
    /// <summary>A buffer that grew past this (a hostile review) is dropped rather than kept for the thread's life.</summary>
    private const int KeepLimit = 64 * 1024;

    [ThreadStatic]
    private static ScratchWriter?[]? s_slots;

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Use _use;

    private ScratchWriter(Use use)
    {
        _use = use;
        Writer = new Utf8JsonWriter(_buffer, use == Use.Fingerprint ? default : JsonPatchSerializer.WriterOptions);
    }

    /// <summary>One writer per use, as they nest (the patch is written while the response is).</summary>
    public enum Use
    {
        /// <summary>Hashed content: the default escaping.</summary>
        Fingerprint,

        /// <summary>For the API server: <see cref="JsonPatchSerializer.WriterOptions"/>.</summary>
        Patch,

        /// <summary>For the API server: <see cref="JsonPatchSerializer.WriterOptions"/>.</summary>
        Response,
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>What was written (after <see cref="Flush"/>).</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public static ScratchWriter Rent(Use use)
    {
        var slots = s_slots ??= new ScratchWriter?[3];
        var scratch = slots[(int)use] ?? new ScratchWriter(use);
        slots[(int)use] = null;
        return scratch;
    }

    public ReadOnlySpan<byte> Flush()
    {
        Writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose()
    {
        Writer.Reset();
        if (_buffer.Capacity > KeepLimit)
        {
            return;
        }

        _buffer.ResetWrittenCount();
        (s_slots ??= new ScratchWriter?[3])[(int)_use] = this;
    }
}
