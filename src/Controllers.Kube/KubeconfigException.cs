namespace Controllers.Kube;

/// <summary>The kubeconfig cannot be used; the message is one sentence for the user.</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KubeconfigException()
    {
    }
}
