package {{package}};

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {{description}} */
public final class {{name}}Service {
  private static final Logger log = LoggerFactory.getLogger({{name}}Service.class);

  private final {{name}}Repository repository;

  public {{name}}Service({{name}}Repository repository) {
    this.repository = repository;
  }

  public {{name}} get(long id) {
    return repository.find(id).orElseThrow(() -> new NotFoundException("{{name}} " + id));
  }
}
