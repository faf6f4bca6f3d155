package io.knocker.sample;

import io.knocker.KnockMeasured;

import org.springframework.stereotype.Service;

/** Product search: about two milliseconds of lock-free work. */
@Service
public class CatalogService {

	/** Searches the catalog, measured on the jvm door. */
	@KnockMeasured("catalog")
	public String search(String term) {
		long score = Work.compute(2_000_000);
		return term + ":" + Long.toHexString(score);
	}

}
