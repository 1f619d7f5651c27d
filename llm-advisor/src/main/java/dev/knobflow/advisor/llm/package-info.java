/**
 * The LLM advisor over an OpenAI-compatible endpoint (langchain4j), with a strict answer schema.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor.llm;

import org.jspecify.annotations.NullMarked;
