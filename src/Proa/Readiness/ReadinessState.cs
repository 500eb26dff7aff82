namespace Proa.Readiness;

internal enum ReadinessState
{
    Waiting,
    Ready,
    Failed,
}
