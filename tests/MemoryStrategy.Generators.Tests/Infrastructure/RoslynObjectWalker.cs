using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>
/// Walks an object graph by reflection (every instance field, every array element) and reports the first object that
/// would root a compilation: a symbol, syntax, a location, a semantic model, a compilation, attribute data. The checks
/// are <c>is</c> tests against the Roslyn interfaces and base classes, so any derived type is caught.
/// </summary>
internal static class RoslynObjectWalker
{
    /// <summary>The path to the first Roslyn object under <paramref name="root"/>, or null when there is none.</summary>
    public static string? FindRoslynObject(object? root)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Queue<(object Value, string Path)>();
        if (root is not null)
        {
            pending.Enqueue((root, root.GetType().Name));
        }

        while (pending.Count > 0)
        {
            (object value, string path) = pending.Dequeue();
            if (IsRoslynObject(value))
            {
                return $"{path} ({value.GetType().FullName})";
            }

            Type type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string || value is Type || !visited.Add(value))
            {
                continue;
            }

            if (value is Array array)
            {
                int index = 0;
                foreach (object? element in (IEnumerable)array)
                {
                    if (element is not null)
                    {
                        pending.Enqueue((element, $"{path}[{index}]"));
                    }

                    index++;
                }

                continue;
            }

            for (Type? declaring = type; declaring is not null; declaring = declaring.BaseType)
            {
                foreach (FieldInfo field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(value) is { } fieldValue)
                    {
                        pending.Enqueue((fieldValue, $"{path}.{field.Name}"));
                    }
                }
            }
        }

        return null;
    }

    private static bool IsRoslynObject(object value) =>
        value is ISymbol or SyntaxNode or SyntaxTree or SyntaxToken or SyntaxNodeOrToken or SyntaxTrivia
            or Location or SemanticModel or Compilation or AttributeData or TypedConstant;
}
