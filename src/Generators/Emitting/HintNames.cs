using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Keeps every generated file's name unique. Roslyn refuses a hint name that another file of the generator already has,
/// comparing them ignoring case (they become files), and throws: the generator then adds no file at all, for any
/// strategy of the project. Two valid strategies can have names that differ only in case (<c>Pool</c> and
/// <c>pool</c>), and invalid code can give a nested and a namespaced strategy the same one (<c>Outer.S</c>), so the
/// names that collide get a suffix made from the strategy's exact identity; every other name is left as it is.
/// </summary>
internal static class HintNames
{
    private const string Extension = ".g.cs";

    /// <summary>The hint names that more than one strategy has, ignoring case (usually none).</summary>
    public static EquatableArray<string> FindCollisions(ImmutableArray<string> hintNames)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var colliding = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in hintNames)
        {
            if (!seen.Add(name))
            {
                colliding.Add(name.ToUpperInvariant());
            }
        }

        string[] names = new string[colliding.Count];
        colliding.CopyTo(names);
        return new EquatableArray<string>(names);
    }

    /// <summary>
    /// The model's hint name, or, when it is one of <paramref name="collisions"/>, that name with a suffix that tells
    /// the colliding strategies apart: a hash of the namespace, the containing types and the name as written (case and
    /// nesting included). It follows a '-', which no C# identifier holds, so it cannot equal another strategy's plain name.
    /// </summary>
    public static string For(StrategyModel model, EquatableArray<string> collisions)
    {
        bool collides = false;
        foreach (string collision in collisions)
        {
            collides |= string.Equals(collision, model.HintName, StringComparison.OrdinalIgnoreCase);
        }

        if (!collides)
        {
            return model.HintName;
        }

        string stem = model.HintName.Substring(0, model.HintName.Length - Extension.Length);
        return stem + "-" + Fnv1a(Identity(model)).ToString("x8", CultureInfo.InvariantCulture) + Extension;
    }

    /// <summary>Namespace, containing types (after '+', as in metadata names) and the type: different for every strategy.</summary>
    private static string Identity(StrategyModel model)
    {
        var identity = new System.Text.StringBuilder(model.Namespace ?? string.Empty);
        foreach (ContainingTypeModel container in model.ContainingTypes)
        {
            identity.Append('+').Append(container.Name);
        }

        return identity.Append('+').Append(model.TypeName).ToString();
    }

    /// <summary>32-bit FNV-1a: the same in every process (string.GetHashCode is randomized), so builds are reproducible.</summary>
    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }
}
