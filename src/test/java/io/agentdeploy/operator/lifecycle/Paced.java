package io.agentdeploy.operator.lifecycle;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that counts the calls sent against a rate budget, and their order: the pom's
 * {@code paced-tests} execution runs these after the rest, alone in one JVM, so another test
 * class's CPU does not move their timers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("paced")
@interface Paced {}
