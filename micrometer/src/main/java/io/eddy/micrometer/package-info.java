/**
 * Binds Eddy's figures to Micrometer: {@link io.eddy.micrometer.EddyMetrics}, a
 * {@code MeterBinder}.
 */
package io.eddy.micrometer;
