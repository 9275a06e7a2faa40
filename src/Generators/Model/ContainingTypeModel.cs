namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// A type the strategy is nested in, as much as a <see langword="partial"/> re-declaration needs: the kind keyword
/// (<c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>, with <c>static</c> or
/// <c>ref</c> where the original has it) and the escaped name. Accessibility is left out: partial parts may omit it.
/// </summary>
/// <param name="Modifiers">The modifiers to repeat before <c>partial</c> (<c>static</c>, <c>ref</c>) or empty.</param>
/// <param name="Keyword">The declaration keyword(s).</param>
/// <param name="Name">The type's name, escaped with <c>@</c> when it is a keyword.</param>
internal sealed record ContainingTypeModel(string Modifiers, string Keyword, string Name);
