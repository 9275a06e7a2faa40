using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Calls that store into the elements of an array they are handed: <c>Fill.Zero(_arr)</c> where <c>Zero</c> writes
/// <c>a[0] = 0</c> (read from its body: <see cref="MethodSummaries.MutatedParameters"/>), and the library's own,
/// known by their contracts: a <c>Span&lt;T&gt;</c> parameter (the library's convention for memory a method writes;
/// what it only reads is a <c>ReadOnlySpan&lt;T&gt;</c>), <c>Array.Clear</c>/<c>Fill</c>/<c>Sort</c>/<c>Reverse</c>,
/// the destination of a copy (<c>Array.Copy</c>, <c>CopyTo</c>, <c>Buffer.BlockCopy</c>), and the array a read fills
/// (<c>Stream.Read(buffer, …)</c>, <c>Random.NextBytes(buffer)</c>, an encoding's <c>GetBytes</c>/<c>GetChars</c> output).
/// </summary>
internal static class ElementWriters
{
    /// <summary>
    /// The argument through which the array that <paramref name="reference"/> reads is handed to a call that writes
    /// its elements (<c>_arr</c>, <c>_arr.AsSpan()</c>, <c>_arr</c> converted to a span), or null.
    /// </summary>
    public static IArgumentOperation? WritingArgument(IOperation reference, ConcurrencySymbols symbols, CalleeFacts callees)
    {
        IOperation current = reference.OutermostConversion();
        if (current.Parent is IArgumentOperation { Parent: IInvocationOperation view } viewed
            && view.Arguments[0] == viewed
            && symbols.IsSpanView(view.TargetMethod))
        {
            current = view.OutermostConversion(); // _arr.AsSpan(): the span is the array's memory
        }

        return current.Parent is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation } argument
            && Writes(invocation.TargetMethod, parameter, symbols, callees)
            ? argument
            : null;
    }

    /// <summary>Whether <paramref name="method"/> stores into the elements of what its <paramref name="parameter"/> is handed.</summary>
    private static bool Writes(IMethodSymbol method, IParameterSymbol parameter, ConcurrencySymbols symbols, CalleeFacts callees) =>
        symbols.HasBodyHere(method)
            ? callees.MutatesParameter(method, parameter.Ordinal)
            : LibraryWrites(method, parameter, symbols);

    /// <summary>A library method that writes the elements its <paramref name="parameter"/> is handed, by its contract.</summary>
    public static bool LibraryWrites(IMethodSymbol method, IParameterSymbol parameter, ConcurrencySymbols symbols)
    {
        if (parameter.RefKind != RefKind.None)
        {
            return false; // ref and out arguments are stores of the variable itself, classified where they are passed
        }

        if ((method.Name == "CopyTo" && parameter.Name == "array") || parameter.Name is "destination" or "destinationArray")
        {
            return true; // the destination of a copy: List<T>.CopyTo(array), span.CopyTo(destination), Array.Copy
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.MemoryExtensions))
        {
            // Many of its read-only methods take a Span<T> only to extend it (IndexOf, Contains, SequenceEqual).
            return method.Name is "Sort" or "Reverse" or "Replace" && parameter.Ordinal == 0;
        }

        if (SymbolEqualityComparer.Default.Equals(parameter.Type.OriginalDefinition, symbols.Span))
        {
            // The library's convention: memory a method writes is a Span<T>, what it reads a ReadOnlySpan<T>. Not
            // MemoryMarshal's, which reinterpret the memory (Cast, GetReference) rather than write it.
            return method.ContainingType?.ToDisplayString() != "System.Runtime.InteropServices.MemoryMarshal";
        }

        if (method.ContainingType?.SpecialType == SpecialType.System_Array && method.IsStatic)
        {
            return method.Name is "Clear" or "Fill" or "Sort" or "Reverse" or "Initialize" && parameter.Ordinal == 0;
        }

        if (parameter.Type is IArrayTypeSymbol)
        {
            // The buffer a read fills (Stream.Read/ReadAsync/ReadExactly, TextReader.Read, BinaryReader.Read,
            // Socket.Receive), Random.NextBytes's, and an encoding's output array.
            bool fills = (method.Name.StartsWith("Read", System.StringComparison.Ordinal) || method.Name.StartsWith("Receive", System.StringComparison.Ordinal) || method.Name == "NextBytes")
                && parameter.Name == "buffer";
            if (fills || (method.Name == "GetBytes" && parameter.Name == "bytes") || (method.Name == "GetChars" && parameter.Name == "chars"))
            {
                return true;
            }
        }

        return method.Name == "BlockCopy" && parameter.Name == "dst" && method.ContainingType?.ToDisplayString() == "System.Buffer";
    }
}
