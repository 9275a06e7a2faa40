using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What a method does to its caller's values, beyond its own accesses: the field its <c>ref</c> return points into,
/// and the parameters whose collections it changes. Each is computed once per method, on first use; a recursive
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
    /// indexer, or the parameter passed on to a method that changes it.
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
            if (InCompilation(method) && HasCollectionParameter(method))
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

    private bool HasCollectionParameter(IMethodSymbol method)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (_symbols.GetUnsafeCollection(parameter.Type) is not null)
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
                if (CollectionParameter(invocation.Instance) is { } receiver && AccessClassifier.IsMutatingMember(invocation.TargetMethod.Name))
                {
                    mask |= Bit(receiver);
                }

                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    if (CollectionParameter(argument.Value) is { } passed
                        && argument.Parameter is { Ordinal: < 32 and var ordinal }
                        && (MutatedParameters(invocation.TargetMethod.OriginalDefinition, cancellationToken) & (1 << ordinal)) != 0)
                    {
                        mask |= Bit(passed);
                    }
                }

                return mask;
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when AccessClassifier.IsStoredTo(indexer):
                return CollectionParameter(indexer.Instance) is { } stored ? Bit(stored) : 0;
            default:
                return 0;
        }
    }

    /// <summary>The method's own parameter (not a lambda's) holding a non-thread-safe collection that <paramref name="value"/> is.</summary>
    private IParameterSymbol? CollectionParameter(IOperation? value) =>
        value?.WithoutConversions() is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } } parameter }
            && _symbols.GetUnsafeCollection(parameter.Type) is not null
            ? parameter
            : null;

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
