using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What a method does to its caller's values, beyond its own accesses: the field its <c>ref</c> return points into,
/// and the parameters whose collections or arrays it changes. Each is computed once per method, on first use; a recursive
/// use while one is being computed learns nothing (no field, no parameter changed).
/// </summary>
internal sealed partial class MethodSummaries
{
    private readonly Dictionary<IMethodSymbol, RefReturn?> _refReturns = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, int> _mutatedParameters = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>ref int R =&gt; ref _r;</c>: the field every <c>return ref</c> of <paramref name="method"/> points into (the
    /// outermost field, for a member of a struct it holds), or null when none, or they point into different fields.
    /// </summary>
    public RefReturn? RefReturnOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refReturns.TryGetValue(method, out RefReturn? known))
            {
                return known;
            }

            _refReturns[method] = null;
            RefReturn? result = null;
            bool unknown = false;
            if (method.ReturnsByRef && InCompilation(method))
            {
                var tracker = new OriginTracker(_symbols, new CalleeFacts(this, cancellationToken));
                foreach (IOperation body in Bodies(method, cancellationToken))
                {
                    foreach (IOperation operation in body.DescendantsAndSelf())
                    {
                        if (operation is IReturnOperation { ReturnedValue: { } value } && !value.IsInNestedFunction(body))
                        {
                            RefReturn? target = RefTarget(value, tracker);
                            unknown |= target is null || (result is { } sofar && !SymbolEqualityComparer.Default.Equals(target.Value.Field, sofar.Field));
                            result ??= target;
                        }
                    }
                }
            }

            result = unknown ? null : result;
            _refReturns[method] = result;
            return result;
        }
    }

    /// <summary>
    /// <c>static void Into(List&lt;int&gt; l) =&gt; l.Add(1);</c>: bit i is set when <paramref name="method"/> changes
    /// the non-thread-safe collection its parameter i holds: a mutating member called on it, a store through its
    /// indexer, or the parameter passed on to a method that changes it. Likewise for an array or a
    /// <c>Span&lt;T&gt;</c> (<c>static void Zero(int[] a) =&gt; a[0] = 0;</c>): a store into an element (or a member
    /// of a struct element), a mutating member of the span (<c>s.Fill(0)</c>, through <c>a.AsSpan()</c> too), or the
    /// parameter handed to a method that writes its elements (<see cref="ElementWriters"/>).
    /// </summary>
    public int MutatedParameters(IMethodSymbol method, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_mutatedParameters.TryGetValue(method, out int known))
            {
                return known;
            }

            _mutatedParameters[method] = 0;
            int mask = 0;
            if (InCompilation(method) && HasChangeableParameter(method))
            {
                foreach (IOperation body in Bodies(method, cancellationToken))
                {
                    foreach (IOperation operation in body.DescendantsAndSelf())
                    {
                        mask |= ParametersChangedBy(operation, cancellationToken);
                    }
                }

                // A dispatched call changes what any of its implementations changes.
                foreach (IMethodSymbol implementation in _symbols.ImplementationsOf(method))
                {
                    mask |= MutatedParameters(implementation, cancellationToken);
                }
            }

            _mutatedParameters[method] = mask;
            return mask;
        }
    }

    private bool HasChangeableParameter(IMethodSymbol method)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (IsChangeable(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    private int ParametersChangedBy(IOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                int mask = 0;
                if (ChangeableParameter(invocation.Instance) is { } receiver && AccessClassifier.IsMutatingMember(invocation.TargetMethod.Name))
                {
                    mask |= Bit(receiver);
                }

                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    if (ChangeableParameter(argument.Value) is { } passed
                        && argument.Parameter is { Ordinal: < 32 } parameter
                        && (InCompilation(invocation.TargetMethod)
                            ? (MutatedParameters(invocation.TargetMethod.OriginalDefinition, cancellationToken) & (1 << parameter.Ordinal)) != 0
                            : _symbols.GetUnsafeCollection(passed.Type) is null && ElementWriters.LibraryWrites(invocation.TargetMethod, parameter, _symbols)))
                    {
                        mask |= Bit(passed);
                    }
                }

                return mask;
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when AccessClassifier.IsStoredTo(indexer):
                return ChangeableParameter(indexer.Instance) is { } stored ? Bit(stored) : 0;
            case IArrayElementReferenceOperation element when IsStoredThrough(element):
                return ChangeableParameter(element.ArrayReference) is { } written ? Bit(written) : 0;
            default:
                return 0;
        }
    }

    /// <summary>
    /// The method's own parameter (not a lambda's) holding a non-thread-safe collection, an array or a span that
    /// <paramref name="value"/> is, or views (<c>a.AsSpan()</c>).
    /// </summary>
    private IParameterSymbol? ChangeableParameter(IOperation? value)
    {
        IOperation? unwrapped = value?.WithoutConversions();
        if (unwrapped is IInvocationOperation { Arguments.Length: > 0 } view && _symbols.IsSpanView(view.TargetMethod))
        {
            unwrapped = view.Arguments[0].Value.WithoutConversions();
        }

        return unwrapped is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } } parameter }
            && IsChangeable(parameter.Type)
            ? parameter
            : null;
    }

    /// <summary>A type whose contents a callee can change for its caller: a non-thread-safe collection, an array, a <c>Span&lt;T&gt;</c>.</summary>
    private bool IsChangeable(ITypeSymbol type) =>
        _symbols.GetUnsafeCollection(type) is not null
        || type is IArrayTypeSymbol
        || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _symbols.Span);

    /// <summary><c>a[i] = v</c>, <c>a[i]++</c>, <c>a[i].Count += 1</c>: a plain store into the element (an atomic one is no race).</summary>
    private static bool IsStoredThrough(IArrayElementReferenceOperation element)
    {
        IOperation current = element;
        while (current.Parent is IFieldReferenceOperation member && member.Instance == current && current.Type?.IsValueType == true)
        {
            current = member;
        }

        return AccessClassifier.IsStoredTo(current);
    }

    private static int Bit(IParameterSymbol parameter) => parameter.Ordinal < 32 ? 1 << parameter.Ordinal : 0;

    /// <summary>The field <c>ref _r</c>, <c>ref _slots[i]</c> or <c>ref _stats.Count</c> points into, with its holder's origin.</summary>
    private static RefReturn? RefTarget(IOperation value, OriginTracker tracker)
    {
        IOperation current = value.WithoutConversions();
        bool element = false;
        while (true)
        {
            switch (current)
            {
                case IFieldReferenceOperation { Instance: { } instance } when instance.WithoutConversions() is IFieldReferenceOperation or IArrayElementReferenceOperation && instance.Type?.IsValueType == true:
                    current = instance.WithoutConversions();
                    continue;
                case IArrayElementReferenceOperation array:
                    element = true;
                    current = array.ArrayReference.WithoutConversions();
                    continue;
                case IFieldReferenceOperation field:
                    Origin holder = tracker.OfDestination(field); // this, a parameter, a static; a [ThreadStatic] is confined
                    return holder.IsConfined ? null : new RefReturn(field.Field.OriginalDefinition, element, holder);
                default:
                    return null;
            }
        }
    }
}
