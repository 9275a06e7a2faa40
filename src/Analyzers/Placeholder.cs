namespace MemoryStrategy.Analyzers;

// The analyzers issue fills this project; this file keeps the empty project buildable.
internal static class Placeholder
{
}
