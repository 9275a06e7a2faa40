namespace MemoryStrategy.Generators.Tests.Shapes;

/// <summary>A strategy declaration the generator must complete, with the name of its golden file.</summary>
/// <param name="Name">The golden file's name and the test case's display name.</param>
/// <param name="Source">The user's source.</param>
/// <param name="HintName">The generated file's expected name.</param>
public sealed record Shape(string Name, string Source, string HintName)
{
    public override string ToString() => Name;
}
