using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Where a method stores the objects it is handed (RacerD's ownership summaries): <c>void Publish(Node n) =&gt;
/// _shared = n;</c> stores its parameter where its <c>this</c> reaches it, so a caller's own new object handed to it is
/// shared from the call on (<c>var n = new Node(); Publish(n); n.X++;</c> races with whoever reads <c>_shared</c>).
/// </summary>
internal sealed partial class MethodSummaries
{
    private readonly Dictionary<IMethodSymbol, Escapes> _escapes = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Where <paramref name="method"/> stores what its parameters and its <c>this</c> hold, relative to it (its
    /// <c>this</c>, a parameter, a static): a store into a field, an array element or a property, an item added to a
    /// collection, an <c>Interlocked</c> or <c>Volatile</c> write, or a hand-off to a method that stores it, at any depth
    /// (a dispatched call, through every implementation). Nothing for a method without a body here, and for a recursive
    /// use while it is being computed.
    /// </summary>
    public Escapes EscapesOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_escapes.TryGetValue(method, out Escapes? known))
            {
                return known;
            }

            _escapes[method] = Escapes.None; // in progress: a recursive call learns nothing
            var result = new Escapes.Builder(method.Parameters.Length);
            if (InCompilation(method) && CanStoreWhatItIsHanded(method))
            {
                foreach (IOperation body in Bodies(method, cancellationToken))
                {
                    StoresOf(body, new OriginTracker(_symbols, new CalleeFacts(this, cancellationToken), publishParameters: false), result, cancellationToken);
                }

                foreach (IMethodSymbol implementation in _symbols.ImplementationsOf(method))
                {
                    result.Add(EscapesOf(implementation.OriginalDefinition, cancellationToken));
                }
            }

            Escapes escapes = result.ToEscapes();
            _escapes[method] = escapes;
            return escapes;
        }
    }

    /// <summary>A method handed an object: its <c>this</c>, or a parameter of a reference type (a value is a copy).</summary>
    private static bool CanStoreWhatItIsHanded(IMethodSymbol method)
    {
        if (!method.IsStatic)
        {
            return true;
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.Type.IsReferenceType || parameter.Type.TypeKind == TypeKind.TypeParameter)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Follows the locals of a body in source order and records where what its parameters and <c>this</c> hold is stored.</summary>
    private void StoresOf(IOperation body, OriginTracker tracker, Escapes.Builder result, CancellationToken cancellationToken)
    {
        foreach (IOperation operation in body.DescendantsAndSelf())
        {
            // A lambda's parameters are not the method's (and when it runs is not known).
            if (operation.IsInNestedFunction(body) || tracker.TryAssign(operation))
            {
                continue;
            }

            switch (operation)
            {
                case ISimpleAssignmentOperation { IsRef: false } assignment:
                    Store(tracker, result, assignment.Value, tracker.OfDestination(assignment.Target), assignment.Target);
                    break;
                case IInvocationOperation invocation:
                    foreach ((IOperation value, Origin destination, IOperation? holder) in StoresBy(invocation, tracker, cancellationToken))
                    {
                        Store(tracker, result, value, destination, holder);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// What a call stores and where, in the caller's terms: the items a collection's mutating member is handed go into
    /// the collection, what <c>Interlocked</c> or <c>Volatile.Write</c> is handed goes into its location, the state
    /// handed to a thread, a task or the thread pool with its callback goes to that thread, and a method of the
    /// compilation stores what its own summary says (<see cref="EscapesOf"/>).
    /// </summary>
    public IEnumerable<(IOperation Value, Origin Destination, IOperation? Holder)> StoresBy(IInvocationOperation invocation, OriginTracker tracker, CancellationToken cancellationToken)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (invocation.Instance is { } receiver && AccessClassifier.IsMutatingMember(method.Name) && !_symbols.HasBodyHere(method))
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind != RefKind.Out)
                {
                    yield return (argument.Value, tracker.Of(receiver), receiver); // _free.Push(chunk); an out argument receives
                }
            }

            yield break;
        }

        if (_symbols.IsInterlocked(method) || _symbols.IsVolatileWrite(method))
        {
            IOperation? target = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
            Origin location = target is not null ? tracker.OfDestination(target) : Origin.This;
            for (int i = 1; i < invocation.Arguments.Length; i++)
            {
                yield return (invocation.Arguments[i].Value, location, target);
            }

            yield break;
        }

        if (_symbols.IsDeferring(method))
        {
            // ThreadPool.QueueUserWorkItem(Work, n), Task.Factory.StartNew(Work, n), thread.Start(n): the state handed
            // with the callback reaches it on another thread, as a local a handed-off lambda captures does.
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Value.Type is { IsReferenceType: true, TypeKind: not TypeKind.Delegate })
                {
                    yield return (argument.Value, Origin.This, null);
                }
            }

            yield break;
        }

        if (!InCompilation(method))
        {
            yield break;
        }

        Escapes escapes = EscapesOf(method.OriginalDefinition, cancellationToken);
        if (escapes.IsEmpty)
        {
            yield break;
        }

        System.Func<IOperation?, Origin> of = tracker.Of;
        if (invocation.Instance is { } instance && escapes.This is { IsConfined: false } fromThis)
        {
            Origin destination = CalleeFacts.Substitute(fromThis, invocation.Instance, method.IsStatic, invocation.Arguments, of);
            foreach (IOperation? holder in Holders(fromThis, invocation))
            {
                yield return (instance, destination, holder);
            }
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: var ordinal } && escapes.OfParameter(ordinal) is { IsConfined: false } fromParameter)
            {
                Origin destination = CalleeFacts.Substitute(fromParameter, invocation.Instance, method.IsStatic, invocation.Arguments, of);
                foreach (IOperation? holder in Holders(fromParameter, invocation))
                {
                    yield return (argument.Value, destination, holder);
                }
            }
        }
    }

    /// <summary>
    /// The caller's operations for the objects a callee stores into, by the callee's <paramref name="destination"/>: its
    /// receiver for <c>this</c>, the argument for a parameter (<c>Link(box, n)</c> storing <c>n</c> into <c>box</c>); one
    /// null entry when it stores into none of them (a static).
    /// </summary>
    private static IEnumerable<IOperation?> Holders(Origin destination, IInvocationOperation invocation)
    {
        bool any = false;
        if (destination.IncludesThis && invocation.Instance is { } instance)
        {
            any = true;
            yield return instance;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: var ordinal } && destination.IncludesParameter(ordinal))
            {
                any = true;
                yield return argument.Value;
            }
        }

        if (!any)
        {
            yield return null;
        }
    }

    /// <summary>
    /// A store of <paramref name="value"/> into <paramref name="holder"/>, reached from <paramref name="destination"/>:
    /// whatever of the method's own it is, or holds (<c>var box = new Box(n); _shared = box;</c>), escapes there.
    /// </summary>
    private static void Store(OriginTracker tracker, Escapes.Builder result, IOperation value, Origin destination, IOperation? holder)
    {
        // A value of a value type is a copy (Start = n.X stores a number, not n).
        if (!destination.IsConfined && value.Type?.IsValueType != true)
        {
            result.Escape(OriginOfStored(value, tracker), destination);
            foreach (IParameterSymbol held in tracker.HeldParameters(value))
            {
                result.Escape(Origin.Parameter(held.Ordinal), destination);
            }
        }

        tracker.Publish(value, destination);
        tracker.Hold(holder, value);
    }

    /// <summary>
    /// What a stored value is derived from: a lambda or a method group, what it captures (<c>_work = () =&gt; n.X++</c>
    /// stores <c>n</c> where the delegate goes; <c>Registry.Add(() =&gt; Log())</c> stores <c>this</c>); anything else,
    /// its origin.
    /// </summary>
    private static Origin OriginOfStored(IOperation value, OriginTracker tracker)
    {
        IOperation unwrapped = value.WithoutConversions();
        if (unwrapped is IDelegateCreationOperation creation)
        {
            unwrapped = creation.Target;
        }

        switch (unwrapped)
        {
            case IMethodReferenceOperation reference:
                return reference.Method.IsStatic ? Origin.Confined : tracker.Of(reference.Instance);
            case IAnonymousFunctionOperation function:
                Origin captured = Origin.Confined;
                foreach (IOperation reference in OriginTracker.CapturedReferences(function))
                {
                    captured = captured.Join(tracker.Of(reference));
                }

                return captured;
            default:
                return tracker.Of(value);
        }
    }
}

/// <summary>Where a method stores what its <c>this</c> and each parameter hold, relative to it (<see cref="MethodSummaries.EscapesOf"/>).</summary>
internal sealed class Escapes
{
    private readonly ImmutableArray<Origin> _parameters;

    private Escapes(Origin @this, ImmutableArray<Origin> parameters)
    {
        This = @this;
        _parameters = parameters;
    }

    /// <summary>A method that stores nothing it is handed.</summary>
    public static Escapes None { get; } = new(Origin.Confined, ImmutableArray<Origin>.Empty);

    /// <summary>Where <c>this</c> is stored (<see cref="Origin.Confined"/>: nowhere).</summary>
    public Origin This { get; }

    public bool IsEmpty => This.IsConfined && _parameters.IsEmpty;

    /// <summary>Where what parameter <paramref name="ordinal"/> holds is stored (<see cref="Origin.Confined"/>: nowhere).</summary>
    public Origin OfParameter(int ordinal) => ordinal < _parameters.Length ? _parameters[ordinal] : Origin.Confined;

    public sealed class Builder
    {
        private readonly Origin[] _parameters;
        private Origin _this;
        private bool _any;

        public Builder(int parameters) => _parameters = new Origin[parameters];

        /// <summary>A value reached from <paramref name="stored"/> (this, parameters) lands where <paramref name="destination"/> reaches.</summary>
        public void Escape(Origin stored, Origin destination)
        {
            if (stored.IncludesThis)
            {
                _this = _this.Join(destination);
                _any = true;
            }

            for (int i = 0; i < _parameters.Length; i++)
            {
                if (stored.IncludesParameter(i))
                {
                    _parameters[i] = _parameters[i].Join(destination);
                    _any = true;
                }
            }
        }

        /// <summary>What an implementation of a dispatched method stores, stored by the method too.</summary>
        public void Add(Escapes other)
        {
            _this = _this.Join(other.This);
            _any |= !other.This.IsConfined;
            for (int i = 0; i < _parameters.Length; i++)
            {
                Origin added = other.OfParameter(i);
                _parameters[i] = _parameters[i].Join(added);
                _any |= !added.IsConfined;
            }
        }

        public Escapes ToEscapes() => _any ? new Escapes(_this, ImmutableArray.Create(_parameters)) : None;
    }
}
