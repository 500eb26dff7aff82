namespace Injector.Hosting;

/// <summary>What <see cref="ContentSettler"/> made of one read of a watched file.</summary>
internal enum ContentState
{
    /// <summary>Same bytes as the content last used or refused: nothing to do.</summary>
    Unchanged,

    /// <summary>New bytes, not yet read twice the same: read again after the settle time.</summary>
    Changing,

    /// <summary>New bytes, read twice the same at least the settle time apart: use (or refuse) them now.</summary>
    Settled,
}
