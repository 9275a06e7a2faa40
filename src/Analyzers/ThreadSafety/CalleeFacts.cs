using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What a call does to the values it is given and gives back, as far as a caller's walk needs it: where the returned
/// object comes from, which field a <c>ref</c> return points into, which parameters' collections the callee changes.
/// Asked of the compilation's <see cref="MethodSummaries"/>, which computes each once per method.
/// </summary>
internal sealed class CalleeFacts
{
    private readonly MethodSummaries _summaries;
    private readonly CancellationToken _cancellationToken;

    public CalleeFacts(MethodSummaries summaries, CancellationToken cancellationToken)
    {
        _summaries = summaries;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Where <paramref name="method"/>'s return value comes from, relative to it; null when not known.</summary>
    public Origin? ReturnOrigin(IMethodSymbol method) => _summaries.ReturnOrigin(method.OriginalDefinition, _cancellationToken);

    /// <summary>The field a <c>ref</c>-returning <paramref name="method"/> returns a reference into; null when none or not known.</summary>
    public RefReturn? RefReturnOf(IMethodSymbol method) =>
        method.ReturnsByRef ? _summaries.RefReturnOf(method.OriginalDefinition, _cancellationToken) : null;

    /// <summary>Whether <paramref name="method"/> changes the collection its parameter at <paramref name="ordinal"/> holds.</summary>
    public bool MutatesParameter(IMethodSymbol method, int ordinal) =>
        ordinal < 32 && (_summaries.MutatedParameters(method.OriginalDefinition, _cancellationToken) & (1 << ordinal)) != 0;

    /// <summary>What <paramref name="invocation"/> stores, where, and into what, in the caller's terms (<see cref="MethodSummaries.StoresBy"/>).</summary>
    public System.Collections.Generic.IEnumerable<(IOperation Value, Origin Destination, IOperation? Holder)> StoresBy(IInvocationOperation invocation, OriginTracker tracker) =>
        _summaries.StoresBy(invocation, tracker, _cancellationToken);

    /// <summary>Where <paramref name="method"/> stores what it is handed (<see cref="MethodSummaries.EscapesOf"/>).</summary>
    public Escapes EscapesOf(IMethodSymbol method) => _summaries.EscapesOf(method.OriginalDefinition, _cancellationToken);

    /// <summary>
    /// Whether <paramref name="field"/> is only ever used through atomic calls (<see cref="MethodSummaries.IsLockFree"/>):
    /// not a fact of a call, but one the walker asks of the same summaries, once per field.
    /// </summary>
    public bool IsLockFree(IFieldSymbol field) => _summaries.IsLockFree(field, _cancellationToken);

    /// <summary>
    /// The origin, in the caller, of what a callee's <paramref name="relative"/> origin names: its <c>this</c> is the
    /// call's receiver (a static's "receiver" is global), its parameters the call's arguments.
    /// </summary>
    public static Origin Substitute(Origin relative, IOperation? instance, bool isStatic, ImmutableArray<IArgumentOperation> arguments, System.Func<IOperation?, Origin> of)
    {
        Origin result = relative.WithoutThisAndParameters();
        if (relative.IncludesThis)
        {
            result = result.Join(isStatic || instance is null ? Origin.Global : of(instance));
        }

        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.Parameter is { Ordinal: var ordinal } && relative.IncludesParameter(ordinal))
            {
                result = result.Join(of(argument.Value));
            }
        }

        return result;
    }
}

/// <summary>
/// <c>ref int R =&gt; ref _r;</c>: the field a <c>ref</c> return points into, whether into an element of its array,
/// and where the object holding the field comes from, relative to the returning method.
/// </summary>
internal readonly struct RefReturn
{
    public RefReturn(IFieldSymbol field, bool throughElement, Origin holder)
    {
        Field = field;
        ThroughElement = throughElement;
        Holder = holder;
    }

    public IFieldSymbol Field { get; }

    public bool ThroughElement { get; }

    public Origin Holder { get; }
}
