using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Walks one operation block (a method body, an accessor, a field initialiser) of a strategy or of a helper type in
/// source order, keeping the set of locks held, and records into <see cref="CodeNode"/>s every access to a field of a
/// type of the compilation (with where its object comes from, <see cref="Origin"/>), every call into code of the
/// compilation (with the locks held and the origins of receiver and arguments), and every lock target. Lambdas and
/// local functions become nodes of their own: run in place, they are called with the locks held where they
/// appear; handed to another thread or stored, they run later, holding nothing.
/// </summary>
internal sealed partial class AccessWalker
{
    private readonly ConcurrencySymbols _symbols;
    private readonly IAssemblySymbol _assembly;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ISymbol, CodeNode> _nodes = new(SymbolEqualityComparer.Default);
    private readonly OriginTracker _origins;
    private readonly CalleeFacts _callees;

    public AccessWalker(ConcurrencySymbols symbols, IAssemblySymbol assembly, CalleeFacts callees, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _assembly = assembly;
        _callees = callees;
        _cancellationToken = cancellationToken;
        _origins = new OriginTracker(symbols, callees);
    }

    /// <summary>The nodes found so far: the block's owner, and its lambdas and local functions.</summary>
    public IEnumerable<CodeNode> Nodes => _nodes.Values;

    public void Walk(ISymbol owner, NodeRole role, IOperation block) =>
        Visit(block, GetNode(owner, role), ImmutableHashSet<LockId>.Empty);

    /// <summary>The node of a method, normalised so calls and bodies meet on one symbol.</summary>
    public static ISymbol Normalize(ISymbol symbol) =>
        symbol is IMethodSymbol method ? (ISymbol?)method.OriginalDefinition.PartialDefinitionPart ?? method.OriginalDefinition : symbol;

    private CodeNode GetNode(ISymbol symbol, NodeRole role)
    {
        symbol = Normalize(symbol);
        if (!_nodes.TryGetValue(symbol, out CodeNode? node))
        {
            node = new CodeNode(symbol, role);
            _nodes.Add(symbol, node);
        }

        return node;
    }

    private void Visit(IOperation? operation, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (operation is null)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        switch (operation)
        {
            case ILockOperation lockOperation:
                Visit(lockOperation.LockedValue, node, locks);
                node.LockTargets.Add(lockOperation.LockedValue);
                Visit(lockOperation.Body, node, locks.Add(Taken(lockOperation.LockedValue, LockMode.Exclusive)));
                return;
            case IUsingOperation usingOperation when LockPatterns.GetScopeTarget(usingOperation.Resources, _symbols) is { } scopeTarget:
                Visit(usingOperation.Resources, node, locks);
                Visit(usingOperation.Body, node, locks.Add(Taken(scopeTarget, LockMode.Exclusive)));
                return;
            case IBlockOperation block:
                VisitSequence(block.Operations, node, locks);
                return;
            case ISwitchCaseOperation switchCase:
                foreach (ICaseClauseOperation clause in switchCase.Clauses)
                {
                    Visit(clause, node, locks);
                }

                VisitSequence(switchCase.Body, node, locks);
                return;
            case IConditionalOperation conditional when LockPatterns.GetConditionalTarget(conditional.Condition, _symbols, out bool heldWhenTrue, out LockMode tryMode) is { } tryTarget:
                Visit(conditional.Condition, node, locks);
                ImmutableHashSet<LockId> held = locks.Add(Taken(tryTarget, tryMode));
                Visit(conditional.WhenTrue, node, heldWhenTrue ? held : locks);
                Visit(conditional.WhenFalse, node, heldWhenTrue ? locks : held);
                return;
            case IAnonymousFunctionOperation function:
                if (VisitFunctionValue(function.Symbol, function, null, node, locks))
                {
                    _origins.PublishCaptured(function); // Task.Run(() => w.Done++): w is shared with the other thread
                    ShareCaptures(function); // Task.Run(() => count++): so is the variable count itself
                }

                Visit(function.Body, GetNode(function.Symbol, NodeRole.Helper), ImmutableHashSet<LockId>.Empty);
                return;
            case ILocalFunctionOperation localFunction:
                Visit(localFunction.Body ?? localFunction.IgnoredBody, GetNode(localFunction.Symbol, NodeRole.Helper), ImmutableHashSet<LockId>.Empty);
                return;
            case IVariableDeclaratorOperation declarator:
                VisitChildren(declarator, node, locks);
                _origins.Assign(declarator.Symbol, declarator.Initializer?.Value);
                OwnIfHandedOver(declarator.Initializer?.Value, locks);
                return;
            case ISimpleAssignmentOperation assignment:
                VisitAssignment(assignment, node, locks);
                return;
            case IForEachLoopOperation loop:
                Visit(loop.Collection, node, locks);
                AssignLoopVariables(loop);
                Visit(loop.Body, node, locks);
                return;
            case IIsPatternOperation { Pattern: IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } } isPattern:
                VisitChildren(isPattern, node, locks);
                _origins.Assign(declared, isPattern.Value);
                return;
            case IMethodReferenceOperation methodReference when IsFollowed(methodReference.Method, methodReference.Instance):
                VisitFunctionValue(methodReference.Method, methodReference, methodReference.Instance, node, locks);
                break;
            case IInvocationOperation invocation:
                RecordInvocation(invocation, node, locks);
                break;
            case IFieldReferenceOperation field when IsRecordedField(field):
                Record(field, field.Field, _origins.Of(field), node, locks, throughAlias: false);
                break;
            case IPropertyReferenceOperation property:
                RecordProperty(property, node, locks);
                break;
            case IParameterReferenceOperation parameter when IsCapturedPrimaryParameter(parameter):
                Record(parameter, parameter.Parameter, Origin.This, node, locks, throughAlias: false);
                break;
            case ILocalReferenceOperation local when _origins.TryGetAlias(local.Local, out OriginTracker.FieldAlias alias):
                RecordAliasUse(local, alias, node, locks);
                break;
            case ILocalReferenceOperation local when IsSharedCapture(local.Local):
                RecordCaptureUse(local, local.Local, node, locks);
                break;
            case IParameterReferenceOperation parameter when IsSharedCapture(parameter.Parameter):
                RecordCaptureUse(parameter, parameter.Parameter, node, locks);
                break;
        }

        VisitChildren(operation, node, locks);
    }

    /// <summary>The lock taken on <paramref name="target"/> in <paramref name="mode"/>, with where the locked object comes from.</summary>
    private LockId Taken(IOperation target, LockMode mode)
    {
        IOperation value = target.WithoutConversions();
        bool global = value is ITypeOfOperation || value.Type?.SpecialType == SpecialType.System_String;
        return Named(target, mode).HeldOn(global ? Origin.Global : _origins.Of(value)); // typeof, strings: one per process
    }

    /// <summary>
    /// The lock <paramref name="target"/> names in <paramref name="mode"/>: the monitor of a synchronisation object when
    /// a <c>lock</c> or <c>Monitor</c> call takes it (<see cref="SyncObjectMonitor"/>), so that a release by
    /// <c>Monitor.Exit</c> and an acquire by <c>Monitor.Enter</c> meet on the same id.
    /// </summary>
    private LockId Named(IOperation target, LockMode mode)
    {
        LockId id = LockId.From(target);
        return (SyncObjectMonitor.TakesMonitor(target, _symbols) ? id.OnMonitor() : id).WithMode(mode);
    }

    private void VisitChildren(IOperation operation, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        foreach (IOperation child in operation.ChildOperations)
        {
            Visit(child, node, locks);
        }
    }

    private void VisitAssignment(ISimpleAssignmentOperation assignment, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (assignment.Target is ILocalReferenceOperation { Local: var local } && !assignment.IsRef && !local.IsRef)
        {
            Visit(assignment.Value, node, locks); // rebinding the local is no access to what it aliased
            _origins.Assign(local, assignment.Value);
            OwnIfHandedOver(assignment.Value, locks);
            return;
        }

        VisitChildren(assignment, node, locks);
        if (assignment.Target is ILocalReferenceOperation { Local: var refLocal } && assignment.IsRef)
        {
            _origins.Assign(refLocal, assignment.Value);
        }
        else
        {
            _origins.Publish(assignment.Value, _origins.OfDestination(assignment.Target));
            _origins.Hold(assignment.Target, assignment.Value); // box.Item = n: publishing box later publishes n
        }
    }

    /// <summary><c>batch = Interlocked.Exchange(ref _pending, new());</c> handing the old object over: the local owns it.</summary>
    private void OwnIfHandedOver(IOperation? value, ImmutableHashSet<LockId> locks)
    {
        if (value?.WithoutConversions() is IInvocationOperation exchange
            && ExchangedOutField.Taker(exchange, _symbols) is { } taker
            && HandsOver(exchange, locks))
        {
            _origins.Own(taker);
        }
    }

    /// <summary>
    /// Whether <paramref name="exchange"/>, a swap of a new object into a field of this object, hands the old one to its
    /// caller (<see cref="ExchangedOutField"/>): it holds a lock no other thread holds beside it (a read or upgradeable
    /// read lock lets readers in, who may still hold the old object), or the field is only ever used atomically.
    /// </summary>
    private bool HandsOver(IInvocationOperation exchange, ImmutableHashSet<LockId> locks) =>
        ExchangedOutField.SwappedField(exchange, _symbols) is { } field
        && (locks.Any(l => l.Mode == LockMode.Exclusive) || _callees.IsLockFree(field));

    private void AssignLoopVariables(IForEachLoopOperation loop)
    {
        if (loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: var variable })
        {
            _origins.Assign(variable, loop.Collection);
        }
    }

    private void VisitSequence(ImmutableArray<IOperation> statements, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        ImmutableHashSet<LockId> current = locks;
        SwappedOutField? swaps = null;
        foreach (IOperation statement in statements)
        {
            Visit(statement, node, current);
            if (!current.IsEmpty || swaps is not null)
            {
                // lock (_gate) { batch = _pending; _pending = new(); }: batch owns the old object from here on
                foreach (ILocalSymbol owner in (swaps ??= new SwappedOutField()).Step(statement, current))
                {
                    _origins.Own(owner);
                }
            }

            ImmutableHashSet<LockId> before = current;
            if (LockPatterns.GetAcquiredTarget(statement, _symbols, out LockMode acquiredMode) is { } acquired)
            {
                current = current.Add(Taken(acquired, acquiredMode));
                RecordLockTarget(statement, acquired, node);
            }
            else if (LockPatterns.GetReleasedTarget(statement, _symbols, out LockMode releasedMode) is { } released)
            {
                current = current.Remove(Named(released, releasedMode));
            }
            else if (statement is IConditionalOperation { WhenFalse: null } guard
                && LockPatterns.GetConditionalTarget(guard.Condition, _symbols, out bool heldWhenTrue, out LockMode guardedMode) is { } guarded
                && !heldWhenTrue
                && EndsInJump(guard.WhenTrue))
            {
                // if (!Monitor.TryEnter(x)) return;  -- everything after runs holding x.
                current = current.Add(Taken(guarded, guardedMode));
            }
            else if (statement is ITryOperation tryOperation)
            {
                foreach ((IOperation target, LockMode mode) in LockPatterns.GetReleasedInFinally(tryOperation, _symbols))
                {
                    current = current.Remove(Named(target, mode));
                }
            }

            if (current.Count < before.Count)
            {
                swaps?.KeepHeld(current);
            }
        }
    }

    private static void RecordLockTarget(IOperation statement, IOperation target, CodeNode node)
    {
        // Monitor.Enter's argument has hygiene to check; Lock/SpinLock receivers are the right type by construction.
        if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { Instance: null } })
        {
            node.LockTargets.Add(target);
        }
    }

    private static bool EndsInJump(IOperation operation)
    {
        while (operation is IBlockOperation { Operations.Length: > 0 } block)
        {
            operation = block.Operations[block.Operations.Length - 1];
        }

        return operation is IBranchOperation or IReturnOperation or IThrowOperation
            || operation is IExpressionStatementOperation { Operation: IThrowOperation };
    }
}
