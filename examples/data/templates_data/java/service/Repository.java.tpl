package {{package}};

import java.util.Optional;

/** Storage of {{name}} rows. */
public interface {{name}}Repository {
  Optional<{{name}}> find(long id);

  void save({{name}} value);
}
