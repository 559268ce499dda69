package dev.dormouse.crd.build;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Puts the printer columns of the generated CRD in the order they are declared on {@link
 * WebSocketRoom}: the fabric8 generator (7.5) sorts them by JSON path and has no option to keep
 * the declared order, which is what {@code kubectl get} shows (PHASE first, AGE last). Run by the
 * build right after the generator, on the file it wrote.
 */
public final class PrinterColumnOrder {

  private PrinterColumnOrder() {}

  /** The column names in the order {@code kubectl get wsrooms} prints them. */
  public static List<String> declared() {
    return Arrays.stream(WebSocketRoom.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }

  /** The CRD's YAML with every version's printer columns in the declared order. */
  static String reorder(String yaml) {
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    List<String> order = declared();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (!order.containsAll(
          columns.stream().map(CustomResourceColumnDefinition::getName).toList())) {
        throw new IllegalStateException("undeclared printer column in " + columns);
      }
      columns.sort(Comparator.comparingInt(column -> order.indexOf(column.getName())));
    }
    return header(yaml) + Serialization.asYaml(crd).replaceFirst("^---\n", "");
  }

  /** The generator's leading comment lines, which a YAML round trip would drop. */
  private static String header(String yaml) {
    return yaml.lines()
        .takeWhile(line -> line.startsWith("#"))
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }

  /** Rewrites each CRD file given in place. */
  public static void main(String[] files) throws IOException {
    for (String file : files) {
      Path path = Path.of(file);
      Files.writeString(path, reorder(Files.readString(path)));
    }
  }
}
