package dev.autopilot.code;

import java.util.List;

/**
 * Contributes packages to the package registry snapshot that the {@code registry-sync} task
 * builds, besides the dependencies declared in ingested manifests (for example an internal
 * artifact repository's catalogue). Register with {@code .service(RegistrySource.class, source)}.
 */
public interface RegistrySource {

  /**
   * A package known to the host.
   *
   * @param ecosystem for example {@code maven}, {@code npm}, {@code cargo}, {@code go},
   *     {@code hex}, {@code pypi}
   * @param name the package name as the ecosystem spells it
   * @param version a version, or empty when unknown
   */
  record Package(String ecosystem, String name, String version) {}

  /** @return a short name recorded as the packages' source */
  String name();

  /**
   * @return the packages this source knows now; called once per {@code registry-sync} run
   * @throws Exception when the source cannot be read; the run records the error and keeps the
   *     manifest packages
   */
  List<Package> packages() throws Exception;
}
