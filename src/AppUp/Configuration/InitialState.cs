namespace AppUp.Configuration;

/// <summary>What the sidecar does to the up file when it starts (<c>UP_INITIAL</c>).</summary>
internal enum InitialState
{
    /// <summary>Create the file: the app is ready as soon as the sidecar is.</summary>
    Up,

    /// <summary>Remove the file: something must call <c>/up</c> before the app gets traffic.</summary>
    Down,
}
