package io.knocker.sample;

import io.knocker.KnockMeasured;

import org.springframework.stereotype.Service;

/** Reports that build a large live structure while churning garbage: GC pauses. */
@Service
public class ReportService {

	/** Builds a report over {@code megabytes} of live data, measured on the jvm door. */
	@KnockMeasured("report")
	public long build(int megabytes) {
		int nodes = megabytes * 16_384;
		Node head = null;
		for (int i = 0; i < nodes; i++) {
			head = new Node(i, head);
			// Garbage alongside the live list, so collections come often and have much to
			// copy.
			byte[] scratch = new byte[256];
			scratch[0] = (byte) i;
		}
		long sum = 0;
		for (Node node = head; node != null; node = node.next) {
			sum += node.value;
		}
		return sum;
	}

	private record Node(long value, Node next) {
	}

}
