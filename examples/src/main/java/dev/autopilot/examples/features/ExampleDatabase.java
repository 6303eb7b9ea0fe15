package dev.autopilot.examples.features;

import dev.autopilot.testing.PostgresCluster;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The database a feature example runs on: {@code --jdbc-url URL}, or a throwaway cluster. */
final class ExampleDatabase implements AutoCloseable {

  private final PostgresCluster cluster;
  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

  private ExampleDatabase(String[] args) {
    String url = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--jdbc-url")) {
        url = args[i + 1];
      }
    }
    if (url == null) {
      cluster = PostgresCluster.builder().build().start();
      url = cluster.createDatabase("example");
    } else {
      cluster = null;
    }
    dataSource.setURL(url);
  }

  static ExampleDatabase open(String[] args) {
    return new ExampleDatabase(args);
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
