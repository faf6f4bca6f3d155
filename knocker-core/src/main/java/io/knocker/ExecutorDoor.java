package io.knocker;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * An {@link Executor}: a knock hands it a no-op and waits until the no-op starts, less
 * the hand-off time of the idle pool. A long wait means the pool's queue is backed up. No
 * thread of Knocker's waits: the no-op itself books the knock when it runs. The knock
 * allocates whatever the executor allocates to accept a task.
 * <p>
 * A knock looks before it knocks: a pool that would start a newcomer's task at once is
 * handed nothing and the knock gets straight through, so an idle pool is never woken. For
 * a {@link ThreadPoolExecutor} (Spring's pools are built on it): below its core size (a
 * task would get a thread of its own; Knocker never starts a pool's threads), nothing
 * queued (for a scheduled pool, nothing due) and a worker not running a task, or a queue
 * that takes no more below the pool's maximum (a newcomer would get a new worker; a knock
 * never grows a pool). The look takes the pool's main lock twice for a moment (the lock
 * {@code execute} takes only to add a worker; {@code getActiveCount} walks the workers
 * under it) and, on a scheduled pool, its queue's lock once: 48-94 ns and no allocation
 * once compiled (the walk's iterator is scalar-replaced;
 * benchmarks/results/executor-look.md). Other pools say how to look through
 * {@link Doors#executor(Executor, BooleanSupplier)}. A pool that would make a newcomer
 * queue is handed the no-op, and all of its wait counts: a newcomer would wait as long,
 * hand-off included. Only an executor that cannot be looked into is handed a no-op when
 * idle too; its idle hand-off time (the 90th percentile of its hand-offs, below 1 ms) is
 * subtracted from each knock. Learnt on a pool that can be looked into, it would be
 * learnt from queued hand-offs only, and under moderate load took up to 1 ms off every
 * knock.
 */
final class ExecutorDoor extends Door {

	private static final System.Logger logger = System.getLogger(KnockKnock.class.getName());

	private static final String JDK_WRAPPERS = "java.util.concurrent.Executors$";

	private static final long MIN_BASELINE_CEILING_NANOS = 1_000_000;

	/**
	 * An idle pool hands a task over in microseconds when a worker is spinning and in a
	 * few hundred when it must be woken: the idle hand-off is the upper tail, not the
	 * median (with the median an idle virtual-thread scheduler read 0.17).
	 */
	private static final double IDLE_QUANTILE = 0.9;

	private final Executor executor;

	/** Whether a task handed over now would start at once; {@code null}: cannot tell. */
	private final BooleanSupplier startsAtOnce;

	/** The most tasks it runs at once; {@code null}: cannot tell. */
	private final IntSupplier capacity;

	private Probe probe;

	ExecutorDoor(Executor executor) {
		this(executor, behindJdkWrappers(executor));
	}

	private ExecutorDoor(Executor executor, Executor behind) {
		this("executor", executor, lookInto(behind), capacityOf(behind));
	}

	ExecutorDoor(String kind, Executor executor, BooleanSupplier startsAtOnce, IntSupplier capacity) {
		super(kind);
		this.executor = executor;
		this.startsAtOnce = startsAtOnce;
		this.capacity = capacity;
	}

	@Override
	public int capacity() {
		return (this.capacity != null) ? Math.max(0, this.capacity.getAsInt()) : 0;
	}

	/**
	 * The most threads of a JDK pool (unwrapped): a pool whose queue never fills never
	 * grows past its core size; {@code null} for any other executor.
	 */
	private static IntSupplier capacityOf(Executor behind) {
		if (behind instanceof ThreadPoolExecutor pool) {
			BlockingQueue<Runnable> queue = pool.getQueue();
			// A queue's capacity is what it holds and what it takes more: the remaining
			// capacity alone shrinks as tasks queue.
			return () -> (queue.remainingCapacity() + (long) queue.size() >= Integer.MAX_VALUE) ? pool.getCorePoolSize()
					: pool.getMaximumPoolSize();
		}
		if (behind instanceof ForkJoinPool pool) {
			return pool::getParallelism;
		}
		return null;
	}

	/**
	 * How to look at the JDK's pools, also behind the JDK's own wrappers; {@code null}
	 * for any other executor.
	 */
	static BooleanSupplier lookAt(Executor executor) {
		return lookInto(behindJdkWrappers(executor));
	}

	private static BooleanSupplier lookInto(Executor behind) {
		if (!(behind instanceof ThreadPoolExecutor pool)) {
			return null;
		}
		BlockingQueue<Runnable> queue = pool.getQueue();
		if (pool instanceof ScheduledThreadPoolExecutor) {
			return () -> belowCoreSize(pool) || (nothingDue(queue) && pool.getActiveCount() < pool.getPoolSize());
		}
		return () -> belowCoreSize(pool) || (queue.isEmpty() && pool.getActiveCount() < pool.getPoolSize())
				|| growsForANewcomer(pool, queue);
	}

	/**
	 * Whether the pool would start a new worker for a newcomer: its queue takes no more
	 * (a {@code SynchronousQueue}, or a bounded queue that is full) and it is below its
	 * maximum. A knock handed over then would grow the pool; it gets through instead.
	 */
	private static boolean growsForANewcomer(ThreadPoolExecutor pool, BlockingQueue<Runnable> queue) {
		return queue.remainingCapacity() == 0 && pool.getPoolSize() < pool.getMaximumPoolSize() && !pool.isShutdown();
	}

	private static boolean belowCoreSize(ThreadPoolExecutor pool) {
		// A shut-down pool, whose size drops to 0, refuses a task instead: a failed
		// knock.
		return pool.getPoolSize() < pool.getCorePoolSize() && !pool.isShutdown();
	}

	/**
	 * The pool behind the JDK's wrappers ({@code Executors.newSingleThreadExecutor()},
	 * {@code unconfigurableExecutorService}, ...), as Micrometer's
	 * {@code ExecutorServiceMetrics} unwraps them: through their private field, which
	 * {@code java.base} lets Knocker read only when it opens {@code java.util.concurrent}
	 * ({@code --add-opens java.base/java.util.concurrent=ALL-UNNAMED}). Otherwise the
	 * wrapper itself, said once at startup: every knock then hands it a no-op.
	 */
	static Executor behindJdkWrappers(Executor executor) {
		Executor current = executor;
		while (current.getClass().getName().startsWith(JDK_WRAPPERS)) {
			Field delegate = delegateField(current.getClass());
			try {
				if (delegate == null || !delegate.trySetAccessible()) {
					logger.log(Level.INFO, () -> "An executor door cannot look into " + executor.getClass().getName()
							+ ": java.base does not open java.util.concurrent to Knocker, so every knock hands it a"
							+ " no-op, which may start its thread. Run with --add-opens"
							+ " java.base/java.util.concurrent=ALL-UNNAMED, or give Knocker the pool it wraps.");
					return current;
				}
				current = (Executor) delegate.get(current);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return current;
			}
		}
		return current;
	}

	private static Field delegateField(Class<?> wrapper) {
		for (Class<?> type = wrapper; type != null; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (Executor.class.isAssignableFrom(field.getType())) {
					return field;
				}
			}
		}
		return null;
	}

	private static boolean nothingDue(BlockingQueue<Runnable> queue) {
		Runnable next = queue.peek();
		return next == null || ((Delayed) next).getDelay(TimeUnit.NANOSECONDS) > 0;
	}

	@Override
	protected void opened(Knock knock) {
		// A probe per start: one left queued by an earlier start books into that start's
		// knock, which its retired generation refuses, and never ends a knock of this one
		// early.
		this.probe = new Probe(knock,
				new Baseline(Math.max(knock.pollingNanos(), MIN_BASELINE_CEILING_NANOS), IDLE_QUANTILE));
	}

	@Override
	protected void knock(Knock knock) {
		if (this.startsAtOnce != null && this.startsAtOnce.getAsBoolean()) {
			knock.gotThrough(true);
			return;
		}
		Probe probe = this.probe;
		long submitted = System.nanoTime();
		long baseline = 0;
		if (this.startsAtOnce == null) {
			probe.learn();
			baseline = probe.baseline.nanos();
		}
		probe.submitted = submitted;
		knock.waitingSince(submitted + baseline, baseline);
		this.executor.execute(probe);
	}

	/** The no-op: it books the knock when it starts, on the executor's thread. */
	private static final class Probe implements Runnable {

		private final Knock knock;

		private final Baseline baseline;

		private volatile long submitted;

		private volatile long started;

		private long learned;

		Probe(Knock knock, Baseline baseline) {
			this.knock = knock;
			this.baseline = baseline;
		}

		@Override
		public void run() {
			this.started = System.nanoTime();
			this.knock.gotThrough(false);
		}

		/**
		 * On the knock loop, before the next knock: the last hand-off time feeds the
		 * baseline.
		 */
		void learn() {
			long started = this.started;
			if (started != this.learned) {
				this.learned = started;
				this.baseline.observe(started - this.submitted);
			}
		}

	}

}
