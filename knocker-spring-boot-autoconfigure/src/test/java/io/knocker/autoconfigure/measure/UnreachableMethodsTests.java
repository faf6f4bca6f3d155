package io.knocker.autoconfigure.measure;

import java.util.concurrent.locks.LockSupport;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.FailureAnalyses;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a proxy can and cannot measure: a final class through its interface, and a clear
 * word at startup for what it can never see.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreachableMethodsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class));

	@Test
	void aFinalClassWithAnInterfaceIsMeasuredThroughIt() {
		for (String proxyTargetClass : new String[] { "true", "false" }) {
			this.contextRunner.withBean(Checkout.class, FinalCheckout::new)
				.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Checkout checkout = context.getBean(Checkout.class);
					assertThat(AopUtils.isJdkDynamicProxy(checkout)).isTrue();
					checkout.place();
					assertThat(context.getBean(MeasuredMethods.class).asMap().get("FinalCheckout.place").getCalls())
						.isEqualTo(1);
				});
		}
	}

	@Test
	void aFinalClassWithoutInterfacesFailsStartupNamingTheClassAndTheFix() {
		this.contextRunner.withBean(FinalReport.class, FinalReport::new).run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(FinalReport.class.getName()).contains("final");
			assertThat(analysis.getAction()).contains("Make FinalReport non-final");
		});
	}

	@Test
	void methodsNoProxyCanSeeAreLeftOutAndNamedOnceAtStartup(CapturedOutput output) {
		this.contextRunner.withBean(Ledger.class, Ledger::new).run((context) -> {
			assertThat(context).hasNotFailed();
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			assertThat(methods.asMap()).containsOnlyKeys("Ledger.post");
			context.getBean(Ledger.class).post();
			assertThat(methods.asMap().get("Ledger.post").getCalls()).isEqualTo(1);
		});
		for (String method : new String[] { "audit", "close", "open" }) {
			assertThat(output).containsOnlyOnce(Ledger.class.getName() + "." + method + "() is never measured");
		}
		assertThat(output).contains("the method is private").contains("the method is final").contains("static");
	}

	/** The measured operation, as an interface. */
	public interface Checkout {

		void place();

	}

	static final class FinalCheckout implements Checkout {

		@Override
		@KnockMeasured
		public void place() {
			LockSupport.parkNanos(1_000_000);
		}

	}

	static final class FinalReport {

		@KnockMeasured
		public void build() {
		}

	}

	static class Ledger {

		@KnockMeasured
		public void post() {
			audit();
		}

		@KnockMeasured
		private void audit() {
		}

		@KnockMeasured
		public final void close() {
		}

		@KnockMeasured
		static void open() {
		}

	}

}
