namespace Injector.Core;

internal static class Placeholder;
